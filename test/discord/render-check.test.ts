import { describe, expect, it } from "vitest";
import type { ClaimCheck } from "../../src/library.ts";
import { renderClaimCheck } from "../../src/discord/render-check.ts";
import { NO_MENTIONS, unescapeMarkdown } from "../../src/discord/render.ts";
import { expectWithinLimits, quotesOf } from "../support/bot.ts";

const HOSTILE = "@everyone <@123456789012345678> **bold** [x](https://evil.example) `code` > quote\n# heading ";

/** The largest check the core can hand over: a 500-character claim, many facts, long quotes, many sources. */
function worstCase(): ClaimCheck {
  const paragraph = `${HOSTILE}${"a long sentence of coverage ".repeat(60)}`;
  return {
    claim: HOSTILE.repeat(6).slice(0, 500),
    verdict: "contradicted",
    quotes: [1, 2, 3, 4].map((n) => ({ text: paragraph, articleId: `a${n}`, paragraph: n, start: 0, end: paragraph.length, citation: n })),
    citations: Array.from({ length: 30 }, (_, i) => ({
      n: i + 1,
      articleId: `a${i}`,
      title: `${HOSTILE}${"T".repeat(400)}`,
      outlet: "V7N",
      published: "2025-12-04",
      url: `https://example.com/${"p".repeat(800)}`,
      paragraph: i + 1,
      link: `https://example.com/${"p".repeat(800)}#:~:text=a`,
    })),
    facts: Array.from({ length: 60 }, (_, i) => ({ text: `${HOSTILE}${i}`, kind: "number" as const, status: i % 2 ? ("differs" as const) : ("not_stated" as const), coverageSays: i % 2 ? `${HOSTILE}${"w ".repeat(200)}` : undefined })),
  };
}

describe("a checked claim as Discord shows it", () => {
  it("fits every Discord limit whatever the sizes, pings nobody and makes no link of the claim", () => {
    const body = renderClaimCheck(worstCase());
    expectWithinLimits(body);
    expect(body.allowedMentions).toEqual(NO_MENTIONS);
    const description = body.embeds![0]!.description!;
    expect(description).toContain("https:\u200b//evil.example");
    expect(description).not.toMatch(/^# /m);
    // The evidence still has room after the facts: at least one quote, cut with "…" but verbatim.
    const quotes = quotesOf({ description: description.slice(description.indexOf("**Evidence**\n") + "**Evidence**\n".length) });
    expect(quotes.length).toBeGreaterThan(0);
    expect(worstCase().quotes[0]!.text.startsWith(quotes[0]!.text)).toBe(true);
  });

  it("titles each verdict in words that never call a claim false", () => {
    const titles = (["supported", "partly", "contradicted", "not_covered"] as const).map((verdict) => renderClaimCheck({ ...worstCase(), verdict }).embeds![0]!.title!);
    expect(titles).toEqual([
      "Supported by the coverage",
      "Partly supported: the coverage says some of it, not all",
      "The coverage says otherwise",
      "Not covered: the coverage does not address this (which does not make it false)",
    ]);
    expect(unescapeMarkdown(renderClaimCheck({ ...worstCase(), verdict: "not_covered", quotes: [] }).embeds![0]!.description!)).toContain("closest coverage; they do not address the claim");
  });
});
