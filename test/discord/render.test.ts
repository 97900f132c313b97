import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Answer, Citation, Quote } from "../../src/answer/types.ts";
import type { ArticleSummary, IngestSummary, StoredParagraph } from "../../src/library-types.ts";
import {
  escapeMarkdown,
  fitEscaped,
  HELP_TEXT,
  NO_MENTIONS,
  renderAnswer,
  renderArticleList,
  renderIngestSummary,
  renderParagraph,
  unescapeMarkdown,
} from "../../src/discord/render.ts";
import { expectWithinLimits, quotesOf } from "../support/bot.ts";

/** Text with everything that trips renderers: Markdown, mentions, newlines, astral characters, long words. */
const nasty = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: fc.constantFrom("a", "b", " ", "*", "_", "`", "~", "|", ">", "#", "-", "1.", "\\", "@everyone", "<@123456789012345678>", "<@&1>", "[x](y)", "\n", "😀", "é", "…"), maxLength: Math.ceil(maxLength / 3) }),
    fc.string({ unit: fc.constantFrom("word", "x", " "), minLength: 0, maxLength }),
  );

const citation = (n: number): fc.Arbitrary<Citation> =>
  fc.record({
    n: fc.constant(n),
    articleId: fc.oneof(fc.constant("c-0123456789abcdef"), fc.string({ minLength: 1, maxLength: 300 })),
    title: nasty(2000),
    outlet: fc.option(nasty(600)),
    published: fc.option(fc.oneof(fc.constant("2025-12-04"), fc.constant("2025-12-04T10:00:00Z"), nasty(100))),
    url: fc.option(fc.oneof(fc.webUrl(), fc.constant(`https://example.com/${"a".repeat(3000)}`), nasty(50))),
    paragraph: fc.integer({ min: 1, max: 2000 }),
    link: fc.option(fc.oneof(fc.webUrl().map((u) => `${u}#:~:text=a%20b,c`), fc.constant(`https://example.com/(x)${"b".repeat(1200)}`))),
  });

const answerArb: fc.Arbitrary<Answer> = fc
  .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3 }), nasty(1000), fc.boolean())
  .chain(([nCitations, nQuotes, question, answered]) =>
    fc.record({
      question: fc.constant(question),
      status: fc.constant(answered ? ("answered" as const) : ("not_found" as const)),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      citations: fc.tuple(...Array.from({ length: nCitations }, (_, i) => citation(i + 1))),
      quotes: answered
        ? fc.tuple(
            ...Array.from({ length: nQuotes }, (_, i) =>
              fc.record({ text: fc.oneof(nasty(6000), fc.constant("x".repeat(5000)), fc.constant("word ".repeat(1500).trim())), citation: fc.constant(Math.min(i + 1, nCitations)) }),
            ),
          )
        : fc.constant([] as { text: string; citation: number }[]),
      terms: fc.array(nasty(40), { maxLength: 60 }),
    }),
  )
  .map(({ question, status, confidence, citations, quotes, terms }) => ({
    question,
    status,
    confidence,
    kind: "other" as const,
    quotes: quotes.map((q): Quote => ({ text: q.text, articleId: citations[q.citation - 1]!.articleId, paragraph: citations[q.citation - 1]!.paragraph, start: 0, end: q.text.length, citation: q.citation })),
    citations: [...citations],
    searched: { articles: 12, paragraphs: 340, terms, articleFilter: null, published: null, corrected: [], fromContext: [] },
    asOf: null,
    ranked: [],
    timings: { embedMs: 1, retrieveMs: 1, selectMs: 1, totalMs: 3 },
  }));

describe("Markdown escaping", () => {
  it("is undone exactly by unescapeMarkdown, for any text", () => {
    fc.assert(fc.property(nasty(300), (s) => unescapeMarkdown(escapeMarkdown(s)) === s), { numRuns: 500 });
  });

  it("leaves no live mention, formatting or link syntax", () => {
    const s = "@everyone @here <@123456789012345678> <@&42> <#7> **bold** _it_ `code` ~~x~~ ||spoiler|| [link](https://x.y)\n# heading\n> quote\n- item\n1. one";
    const e = escapeMarkdown(s);
    expect(e).toBe(
      "\\@everyone \\@here \\<\\@123456789012345678> \\<\\@&42> \\<#7> \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~x\\~\\~ \\|\\|spoiler\\|\\| \\[link\\](https://x.y)\n\\# heading\n\\> quote\n\\- item\n1\\. one",
    );
    expect(unescapeMarkdown(e)).toBe(s);
  });

  it("fits text to a length between words, marking the cut", () => {
    expect(fitEscaped("one two three", 100)).toEqual({ text: "one two three", cut: false });
    expect(fitEscaped("one two three", 9)).toEqual({ text: "one two", cut: true });
    expect(fitEscaped("supercalifragilistic", 6)).toEqual({ text: "super", cut: true });
    expect(fitEscaped("a*b c", 5)).toEqual({ text: "a*b", cut: true }); // "a\*b" + "…"
  });
});

describe("renderAnswer", () => {
  it("fits any answer into Discord's limits, with quotes verbatim or cut between words and marked", () => {
    fc.assert(
      fc.property(answerArb, (answer) => {
        const payload = renderAnswer(answer);
        expect(payload.allowedMentions).toEqual(NO_MENTIONS);
        expectWithinLimits(payload);
        if (answer.status === "not_found") {
          expect(payload.embeds).toBeUndefined();
          return;
        }
        const shown = quotesOf(payload.embeds![0]);
        expect(shown).toHaveLength(answer.quotes.length);
        shown.forEach((q, i) => {
          const original = answer.quotes[i]!.text;
          expect(q.n).toBe(answer.quotes[i]!.citation);
          const whole = q.text + (q.cut ? "…" : "");
          if (whole !== original) {
            expect(q.cut).toBe(true);
            expect(original.startsWith(q.text)).toBe(true);
            expect(q.text.length).toBeLessThan(original.length);
            // Cut between words unless a single word was longer than the room.
            const next = original[q.text.length];
            if (!/\s/.test(next ?? " ") && /\s/.test(original.slice(0, q.text.length))) expect(q.text).toMatch(/\S$/);
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it("trims context (links, footer, title, long source titles) before it cuts a quote", () => {
    const long = "word ".repeat(700).trim(); // 3,499 chars: fits the description alone
    const answer: Answer = {
      question: "q ".repeat(400),
      status: "answered",
      confidence: 0.9,
      kind: "other",
      quotes: [{ text: long, articleId: "a", paragraph: 1, start: 0, end: long.length, citation: 1 }],
      citations: Array.from({ length: 3 }, (_, i) => ({
        n: i + 1,
        articleId: "a",
        title: "T".repeat(300),
        outlet: "O".repeat(200),
        published: "2025-01-01",
        url: `https://example.com/${"u".repeat(800)}`,
        paragraph: 1,
        link: `https://example.com/${"u".repeat(800)}#:~:text=word`,
      })),
      searched: { articles: 1, paragraphs: 1, terms: [], articleFilter: null, published: null, corrected: [], fromContext: [] },
      asOf: null,
      ranked: [],
      timings: { embedMs: 0, retrieveMs: 0, selectMs: 0, totalMs: 0 },
    };
    const payload = renderAnswer(answer);
    expectWithinLimits(payload);
    const [q] = quotesOf(payload.embeds![0]);
    expect(q).toEqual({ text: long, cut: false, n: 1 });
    expect(payload.embeds![0]!.fields!.some((f) => f.value.includes("https://"))).toBe(false);
  });

  it("puts one show-paragraph button per citation and the feedback buttons under an answer", () => {
    const answer: Answer = {
      question: "Who?",
      status: "answered",
      confidence: 0.8,
      kind: "other",
      quotes: [{ text: "Ana said so.", articleId: "x".repeat(150), paragraph: 3, start: 0, end: 12, citation: 1 }],
      citations: [{ n: 1, articleId: "x".repeat(150), title: "T", outlet: null, published: null, url: null, paragraph: 3, link: null }],
      searched: { articles: 1, paragraphs: 3, terms: ["ana"], articleFilter: null, published: null, corrected: [], fromContext: [] },
      asOf: null,
      ranked: [],
      timings: { embedMs: 0, retrieveMs: 0, selectMs: 0, totalMs: 0 },
    };
    const rows = renderAnswer(answer).components!;
    expect(rows.map((r) => r.components.map((c) => [c.custom_id, c.label]))).toEqual([
      [[expect.stringMatching(/^para:#[\w-]{16}:3$/), "[1] Show paragraph 3"]],
      [
        ["fb:y", "👍 Helpful"],
        ["fb:n", "👎 Not helpful"],
      ],
    ]);
  });
});

describe("the other messages", () => {
  const para = (n: number, text: string, of = 5): StoredParagraph => ({ articleId: "a1", title: "Title", outlet: "Outlet", published: "2025-01-02", url: "https://example.com/a", paragraph: n, of, text });

  it("renderParagraph fits any paragraph with neighbours, attaching what does not fit", () => {
    fc.assert(
      fc.property(nasty(20_000), nasty(8000), nasty(8000), (before, main, after) => {
        const target = main.trim() ? main : "x";
        const payload = renderParagraph([para(1, before || "b"), para(2, target), para(3, after || "a")], 2);
        expectWithinLimits(payload);
        const description = payload.embeds![0]!.description!;
        if (payload.files) {
          expect(payload.files[0]!.attachment.toString("utf8")).toContain(target);
        } else {
          expect(unescapeMarkdown(description.split("\n\n").find((b) => b.startsWith("**¶2**"))!.replace(/^\*\*¶2\*\*\n> /, "").split("\n> ").join("\n"))).toBe(target);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("renderArticleList pages the coverage within limits", () => {
    const articles: ArticleSummary[] = Array.from({ length: 23 }, (_, i) => ({
      id: `id-${i}-${"z".repeat(200)}`,
      title: `Story ${i} ${"long ".repeat(100)}`,
      outlet: "O".repeat(300),
      published: "2025-01-01",
      url: null,
      paragraphs: 7,
      ingestedAt: "2025-01-01T00:00:00Z",
    }));
    const page = (n: number, undated = 0) => ({ articles: articles.slice((n - 1) * 10, n * 10), total: articles.length, undated, page: n, pages: 3 });
    const page3 = renderArticleList(page(3));
    expectWithinLimits(page3);
    expect(page3.embeds![0]!.footer!.text).toMatch(/^Page 3 of 3/);
    expect(page3.embeds![0]!.description).toMatch(/^\*\*21\.\*\* Story 20/);
    expect(page3.components![0]!.components.map((c) => [c.custom_id, c.disabled ?? false])).toEqual([
      ["list:2", false],
      ["list:3", true],
    ]);
    expect(page3.embeds![0]!.title).toBe("Coverage: 23 articles, newest first");
    expect(renderArticleList(page(1, 4)).embeds![0]!.title).toBe("Coverage: 23 articles, newest first by publication date, 4 undated last");
    expect(renderArticleList({ articles: [], total: 0, undated: 0, page: 1, pages: 1 }).content).toMatch(/coverage is empty/);
  });

  it("renderIngestSummary leads with failures, stays within 2,000 characters, and attaches the whole report when it does not fit", () => {
    const summary: IngestSummary = {
      origins: {},
      added: Array.from({ length: 61 }, (_, i) => `a${i}`),
      replaced: [],
      unchanged: ["u"],
      failed: Array.from({ length: 3 }, (_, i) => ({ where: `feed.jsonl:${20 * i + 7}`, reason: "has no text: give it a paragraphs array or a text field." })),
      replacements: [],
      keptBeside: [],
      warnings: [],
      titles: Object.fromEntries(Array.from({ length: 61 }, (_, i) => [`a${i}`, i === 0 ? "First *story* @everyone" : `Story number ${i} about the harbour council and its budget for next year`])),
      cachedSentences: 0,
      embeddedSentences: 0,
      words: 12345,
      ms: 1500,
    };
    const payload = renderIngestSummary("feed.jsonl", summary);
    expectWithinLimits(payload);
    const lines = payload.content!.split("\n");
    expect(lines[0]).toBe("feed.jsonl: 3 failed, added 61, replaced 0, unchanged 1 (12,345 words in 1.5 s).");
    expect(lines.slice(1, 4)).toEqual(["• Failed: feed.jsonl:7: has no text: give it a paragraphs array or a text field.", "• Failed: feed.jsonl:27: has no text: give it a paragraphs array or a text field.", "• Failed: feed.jsonl:47: has no text: give it a paragraphs array or a text field."]);
    expect(lines[4]).toBe("• Added: First \\*story\\* \\@everyone");
    expect(payload.content).toMatch(/…and \d+ more\.\nThe full report is attached as ingest-report\.txt\.$/);
    const report = payload.files![0]!.attachment.toString("utf8");
    expect(payload.files![0]!.name).toBe("ingest-report.txt");
    for (const id of summary.added.slice(1)) expect(report).toContain(`Added: ${summary.titles[id]}\n`);
    expect(report).toContain("Failed: feed.jsonl:47: has no text");

    const small = renderIngestSummary("one.md", { ...summary, added: ["a0"], failed: [], unchanged: [] });
    expect(small.files).toBeUndefined();
    expect(small.content).toBe("one.md: added 1, replaced 0, unchanged 0 (12,345 words in 1.5 s).\n• Added: First \\*story\\* \\@everyone\nNew questions can use them right away.");
  });

  it("renderIngestSummary names what each replacement replaced, old title -> new title, and what was added beside a same-named article", () => {
    const summary: IngestSummary = {
      origins: {},
      added: ["c-2"],
      replaced: ["c-4"],
      unchanged: [],
      failed: [],
      replacements: [{ id: "c-4", title: "Council vote was six to three", replaced: { id: "c-3", title: "Council vote was *seven* to two" }, revision: 7 }],
      keptBeside: [{ id: "c-2", title: "School board elects new chair", existing: { id: "c-1", title: "Lighthouse @everyone restored" } }],
      warnings: [],
      titles: { "c-2": "School board elects new chair", "c-4": "Council vote was six to three" },
      cachedSentences: 0,
      embeddedSentences: 3,
      words: 40,
      ms: 100,
    };
    const payload = renderIngestSummary("article.txt", summary);
    expectWithinLimits(payload);
    expect(payload.content).toMatch(/^article\.txt: added 1, replaced 1, unchanged 0 \(/);
    expect(payload.content).toContain("• Replaced: Council vote was \\*seven\\* to two -> Council vote was six to three");
    expect(payload.content).toContain("• Added: School board elects new chair (beside Lighthouse \\@everyone restored from a file of the same name");
  });

  it("the help fits in a few lines", () => {
    expect(HELP_TEXT.split("\n").length).toBeLessThanOrEqual(8);
    expect(HELP_TEXT.length).toBeLessThan(1000);
  });
});
