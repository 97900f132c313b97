import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/types.ts";
import type { GapReport, Receipt } from "../../src/library-types.ts";
import { renderGaps } from "../../src/discord/render-gaps.ts";
import { renderReceipt } from "../../src/discord/render-receipt.ts";
import { expectWithinLimits } from "../support/bot.ts";

/** Members' words and stored text at their worst: Markdown, pings, links, newlines, astral characters, length. */
const nasty = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: fc.constantFrom("a", " ", "*", "_", "`", "|", ">", "#", "\\", "@everyone", "<@123456789012345678>", "[x](https://evil.example)", "https://evil.example/x", "\n", "😀"), maxLength: Math.ceil(maxLength / 3) }),
  );
const clickable = (text: string) => /\]\(\s*<?https?:\/\//i.test(text) || /https?:\/\/\S/i.test(text);
const AT = "2026-12-03T10:00:00.000Z";

interface ReceiptInput {
  question: string;
  quotes: string[];
  citations: { title: string; articleId: string; paragraph: number; today: Receipt["citations"][number]["today"]; quoteStillThere: boolean | null }[];
}
/** Everything at its longest at once: the case random runs rarely reach. */
const LONGEST: ReceiptInput = {
  question: "@everyone ".repeat(400),
  quotes: Array.from({ length: 12 }, () => "*".repeat(3000)),
  citations: Array.from({ length: 30 }, (_, i) => ({ title: "_".repeat(2000), articleId: "x".repeat(300), paragraph: 2000, today: "changed", quoteStillThere: i % 2 === 0 })),
};

const receiptArb: fc.Arbitrary<ReceiptInput> = fc.record({
    question: nasty(4000),
    quotes: fc.array(nasty(3000), { maxLength: 12 }),
    citations: fc.array(
      fc.record({
        title: nasty(2000),
        articleId: fc.string({ minLength: 1, maxLength: 300 }),
        paragraph: fc.integer({ min: 1, max: 2000 }),
        today: fc.constantFrom("same" as const, "moved" as const, "changed" as const, "gone" as const),
        quoteStillThere: fc.constantFrom(true, false, null),
      }),
      { maxLength: 30 },
    ),
  });

function receiptOf({ question, quotes, citations }: ReceiptInput): Receipt {
    const cited = citations.map((c, i) => ({ ...c, n: i + 1, hash: "ab".repeat(32), now: c.today === "moved" ? c.paragraph + 1 : null }));
    return {
      id: "R-7K3Q9X",
      at: AT,
      question,
      status: "answered",
      confidence: 0.61,
      generation: 12,
      method: "hybrid",
      face: "discord",
      guildId: "123",
      channelId: "456",
      member: "m-3f9a1c2b9e01",
      answer: { quotes: quotes.map((text, i) => ({ text, citation: i + 1 })) } as unknown as Answer,
      citations: cited,
      unchanged: cited.every((c) => c.today === "same"),
      feedback: [],
    };
}

describe("staff views in Discord, within Discord's limits whatever the input", () => {
  it("a receipt: every limit kept, the member's question never a link or a ping", () => {
    fc.assert(
      fc.property(receiptArb, (input) => {
        const r = receiptOf(input);
        const payload = renderReceipt(r);
        expectWithinLimits(payload);
        const description = payload.embeds![0]!.description!;
        expect(clickable(description.split("**Quoted:**")[0]!.replace(/\u200b/g, "\0"))).toBe(false);
        expect(payload.allowedMentions).toEqual({ parse: [], repliedUser: false });
        // Changed or gone paragraphs are marked, whatever else had to be left out.
        const shown = payload.embeds![0]!.fields!.filter((f) => f.name.startsWith("["));
        for (const [i, f] of shown.entries()) expect(f.value.startsWith("⚠️"), f.value).toBe(r.citations[i]!.today === "changed" || r.citations[i]!.today === "gone");
      }),
      { numRuns: 150, examples: [[LONGEST]] },
    );
  });

  it("a gap report: 25 topics of long, hostile questions fit one embed, the rest counted", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ terms: fc.array(nasty(200), { minLength: 1, maxLength: 4 }), example: nasty(4000), count: fc.integer({ min: 1, max: 1e6 }) }), { minLength: 1, maxLength: 25 }), (topics) => {
        const report: GapReport = {
          days: 7,
          since: AT,
          unanswered: 1_000_000,
          read: 50_000,
          gaps: topics.map((t) => ({ ...t, declined: t.count, notHelpful: 0, lastAsked: AT })),
        };
        const payload = renderGaps(report);
        expectWithinLimits(payload);
        const description = payload.embeds![0]!.description!;
        expect(clickable(description.replace(/\u200b/g, "\0"))).toBe(false);
        expect(description.split("\n").filter((l) => l.startsWith("**")).length).toBeLessThanOrEqual(10);
      }),
      { numRuns: 150, examples: [[Array.from({ length: 25 }, () => ({ terms: ["[".repeat(200), "<@1>".repeat(50), "_".repeat(200), "x".repeat(200)], example: "https://evil.example/ ".repeat(190), count: 999_999 }))]] },
    );
  });
});
