import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/types.ts";
import { renderAnswer as renderTerminal } from "../../src/cli/render.ts";
import { renderAnswer as renderDiscord } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { expectWithinLimits, quotesOf } from "../support/bot.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

describe("whose words each quote is, in every face", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    const summary = await lib.ingest([
      { name: SEED, bytes: readFileSync(SEED) },
      // No outlet: the source is named by its title instead.
      // A quote far down a long article: the name it gives in full in its lead still counts.
      textFile(
        "long.md",
        [
          "---\ntitle: Grain talks\noutlet: Wire\n---",
          "Kremlin spokesman Dmitry Peskov opened the grain talks on Monday.",
          ...Array.from({ length: 98 }, (_, i) => `Delegation ${i + 1} arrived at hotel number ${i + 1} in the evening.`),
          "Peskov said the grain corridor would reopen in spring.",
        ].join("\n\n"),
      ),
      textFile("harbour.md", "---\ntitle: Harbour works delayed\n---\n\nThe harbour works in Porto Velho will finish a year late.\n\nHarbour master Lena Kovacs said the new cranes had not arrived. \"We are waiting on the supplier,\" she said.\n"),
    ]);
    expect(summary.failed).toEqual([]);
  });
  afterAll(() => cleanup());

  it("gives Peskov's words to Dmitry Peskov, named in full from an earlier paragraph, as reported by V7N", async () => {
    const a = await ask(lib, "What did Peskov say about publicity?");
    const q = a.quotes[0]!;
    expect(q.paragraph).toBe(9);
    expect(q.attribution).toEqual({ kind: "attributed", speaker: "Dmitry Peskov" });
    expect(renderTerminal(a)).toContain(`“${q.text}” [1]\n    — attributed to Dmitry Peskov, as reported by V7N`);
    expect(quotesOf(renderDiscord(a).embeds![0])[0]).toEqual({ text: q.text, cut: false, n: 1, whose: "attributed to Dmitry Peskov, as reported by V7N" });
  });

  it("marks the outlet's own reporting as such, names in it or not", async () => {
    const a = await ask(lib, "Who resigned after investigators searched his home?");
    const q = a.quotes.find((x) => x.text.includes("chief of staff resigned"))!;
    expect(q.attribution).toEqual({ kind: "reporting" });
    expect(quotesOf(renderDiscord(a).embeds![0]).find((r) => r.text === q.text)!.whose).toBe("V7N's reporting");
  });

  it("names the speaker of a quote far down a long article in full, from the article's lead", async () => {
    const a = await ask(lib, "what did peskov say about the grain corridor?");
    const q = a.quotes.find((x) => x.text.includes("grain corridor"))!;
    expect(q.paragraph).toBe(100);
    expect(q.attribution).toEqual({ kind: "attributed", speaker: "Dmitry Peskov" });
  });

  it("names an article without an outlet by its title", async () => {
    const a = await ask(lib, "why are the harbour cranes late?");
    const q = a.quotes.find((x) => x.text.includes("cranes"))!;
    expect(q.attribution).toEqual({ kind: "attributed", speaker: "Lena Kovacs" });
    expect(renderTerminal(a)).toContain("— attributed to Lena Kovacs, as reported in “Harbour works delayed”");
  });

  it("keeps every quote's attribution line whole when Discord's limits cut the quotes", () => {
    const long = "word ".repeat(1500).trim();
    const speaker = `Spokes${"person".repeat(40)}`;
    const answer: Answer = {
      question: "q",
      status: "answered",
      confidence: 0.9,
      kind: "said",
      quotes: [1, 2, 3].map((n) => ({ text: long, articleId: "a", paragraph: n, start: 0, end: long.length, citation: n, attribution: { kind: "attributed", speaker } })),
      citations: [1, 2, 3].map((n) => ({ n, articleId: "a", title: "T", outlet: "O".repeat(300), published: null, url: null, paragraph: n, link: null })),
      searched: { articles: 1, paragraphs: 3, terms: [], articleFilter: null, published: null, corrected: [], fromContext: [] },
      asOf: null,
      ranked: [],
      timings: { embedMs: 0, retrieveMs: 0, selectMs: 0, totalMs: 0 },
    };
    const payload = renderDiscord(answer);
    expectWithinLimits(payload);
    const quotes = quotesOf(payload.embeds![0]);
    expect(quotes).toHaveLength(3);
    for (const q of quotes) {
      expect(q.cut).toBe(true);
      // Each name is cut to 80 characters, so the line always fits beside the quote.
      expect(q.whose).toMatch(/^attributed to Spokes[a-z]{70,}…, as reported by O{70,}…$/);
    }
  });
});
