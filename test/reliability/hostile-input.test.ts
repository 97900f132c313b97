/**
 * Hostile and broken input, end to end: questions (empty, invisible, right-to-left, random unicode,
 * lone surrogates, 100k characters) through `lib.answer`, and hostile files (huge single lines,
 * deep nesting, script floods, bidi and zero-width floods, binary) through `lib.ingest`. Each one
 * gives an Answer or a clear QuestionError / InputError, within a bounded time, and the library
 * keeps answering afterwards. (Parser-level properties live in test/articles/property.test.ts.)
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_QUESTION_CHARS, QuestionError } from "../../src/answer/answer.ts";
import type { Answer } from "../../src/answer/types.ts";
import { MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS } from "../../src/articles/limits.ts";
import { parseSource } from "../../src/articles/parse.ts";
import type { Library } from "../../src/library-types.ts";
import { expectVerbatim, tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";
/** Per input; generous because CI shares two cores between test files. */
const BOUND_MS = 5_000;

let lib: Library;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ lib, cleanup } = await tempLibrary());
  await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
});
afterAll(async () => cleanup?.());

/** An Answer (its quotes verbatim) or a QuestionError with a message; never anything else, never slow. */
async function answerOrRefusal(question: string): Promise<Answer | QuestionError> {
  const started = performance.now();
  let result: Answer | QuestionError;
  try {
    result = await lib.answer(question);
  } catch (error) {
    expect(error, `question ${JSON.stringify(question.slice(0, 40))} threw something else`).toBeInstanceOf(QuestionError);
    result = error as QuestionError;
    expect(result.message.length).toBeGreaterThan(20);
  }
  expect(performance.now() - started).toBeLessThan(BOUND_MS);
  if (!(result instanceof QuestionError)) {
    expect(["answered", "closest", "not_found"]).toContain(result.status);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.quotes.length).toBeLessThanOrEqual(3);
    if (result.status === "not_found") expect(result.quotes).toEqual([]);
    expectVerbatim(lib, result);
  }
  return result;
}

describe("questions", () => {
  it("empty, blank and too long questions are refused with a message that says why", async () => {
    for (const q of ["", "   ", "\n\t \r\n", "\u00a0\u2028"]) {
      const r = await answerOrRefusal(q);
      expect(r).toBeInstanceOf(QuestionError);
      expect((r as QuestionError).message).toMatch(/The question is empty/);
    }
    for (const length of [MAX_QUESTION_CHARS + 1, 100_000, 2_000_000]) {
      const r = await answerOrRefusal("y".repeat(length));
      expect(r).toBeInstanceOf(QuestionError);
      expect((r as QuestionError).message).toMatch(new RegExp(`is ${length.toLocaleString("en-US").replace(/,/g, ",?")} characters long; the limit is ${MAX_QUESTION_CHARS}`));
    }
    // The limit itself is allowed, and runs of whitespace count as one.
    expect(await answerOrRefusal(`${"Peskov publicity ".repeat(100)}`.slice(0, MAX_QUESTION_CHARS))).not.toBeInstanceOf(QuestionError);
    expect(await answerOrRefusal(`What did Peskov ${" ".repeat(5000)} say about publicity?`)).toMatchObject({ status: "answered" });
  });

  it("invisible, right-to-left, control and odd unicode questions get an answer or a clear refusal", async () => {
    const hostile = [
      "\u200b",
      "\u200b\u200c\u200d\ufeff".repeat(200),
      "\u202eWhat did Peskov say about publicity?\u202c",
      "\u2067What did Peskov say\u2069 about \u200fpublicity\u200e?",
      "W\u200bh\u200ba\u200bt did Pes\u00adkov say about pub\u200dlicity?",
      "ماذا قال بيسكوف عن الدعاية؟",
      "מה אמר פסקוב על פרסום?",
      "What\u0000 did Peskov\u0007 say\u001b[31m about publicity?",
      "\ud800What did \udfffPeskov say?",
      "😀".repeat(400),
      "e\u0301".repeat(400),
      "Z\u0351\u0352\u0353\u0354\u0355".repeat(150),
      "AND OR NOT ( ) * ~ ^ : \" + - Peskov",
      "'; DROP TABLE articles; -- Peskov",
      ".*+?^${}()|[]\\ Peskov",
      Array.from({ length: 300 }, (_, i) => `w${i}`).join(" ").slice(0, MAX_QUESTION_CHARS),
      "a".repeat(MAX_QUESTION_CHARS),
    ];
    for (const q of hostile) await answerOrRefusal(q);
    // The same question behind bidi and zero-width characters still finds the same quote.
    const plain = (await answerOrRefusal(PESKOV)) as Answer;
    const disguised = (await answerOrRefusal(hostile[2]!)) as Answer;
    expect(disguised.status).toBe("answered");
    expect(disguised.quotes[0]?.text).toBe(plain.quotes[0]?.text);
  });

  it("random unicode questions never crash or hang", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.string({ unit: fc.constantFrom("\u200b", "\u202e", "\u200f", "\u2066", "\ufeff", " ", "?", "Peskov", "publicity", "\ud800", "\udc00", "\u0000"), maxLength: 60 }),
          fc.string({ unit: "binary", minLength: MAX_QUESTION_CHARS - 10, maxLength: MAX_QUESTION_CHARS + 10 }),
        ),
        async (q) => {
          await answerOrRefusal(q);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
    expect((await answerOrRefusal(PESKOV) as Answer).status).toBe("answered");
  });
});

const MB = 1024 * 1024;
/** Hostile files of every format, and what must become of them. */
const FILES: { name: string; text: string | Uint8Array; outcome: "ingests" | RegExp }[] = [
  { name: "one-line.txt", text: "x".repeat(10 * MB), outcome: /Paragraph 1 has 10,485,760 characters; the limit is 20,000/ },
  { name: "one-line.md", text: "word ".repeat(2 * MB), outcome: /the limit is 20,000/ },
  { name: "one-line.jsonl", text: JSON.stringify({ id: "big", paragraphs: ["word ".repeat(2 * MB)] }), outcome: /the limit is 20,000/ },
  { name: "one-line.html", text: `<p>${"word ".repeat(2 * MB)}</p>`, outcome: /./ },
  { name: "deep.html", text: "<div><span>".repeat(100_000) + "text", outcome: /nested more than 1000 levels deep/ },
  { name: "deep.json", text: "[".repeat(1_000_000), outcome: /nested over 10,000 levels deep/ },
  { name: "deep-quote.md", text: `${">".repeat(200_000)} The harbour reopened on Monday after the storm.`, outcome: "ingests" },
  { name: "emphasis.md", text: "*_".repeat(500_000), outcome: /the limit is 20,000/ },
  { name: "scripts.html", text: `${"<script>document.write('<p>INJECTED</p>')</script>".repeat(20_000)}<p>The ferry timetable changes in May.</p>`, outcome: "ingests" },
  { name: "unclosed-script.html", text: "<p>The bakery on Quay Street closes at noon.</p><script>".repeat(2) + "<p>".repeat(50_000), outcome: "ingests" },
  { name: "bidi.txt", text: "\u202eevil\u202c \u200f\u2066text\u2069 \u200b\u200d\ufeff".repeat(20_000), outcome: /the limit is 20,000/ },
  { name: "invisible.txt", text: "\u200b".repeat(1_000_000), outcome: /./ },
  { name: "bidi-story.md", text: "# \u202eBidi\u202c title\n\nThe \u2067council\u2069 voted \u200bfor the new \u200fpier.\n", outcome: "ingests" },
  { name: "binary.txt", text: Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256), outcome: /binary|UTF-8/ },
  { name: "invalid-utf8.md", text: Uint8Array.from([0x23, 0x20, 0x41, 0x0a, 0x0a, 0xc3, 0x28, 0xa0, 0xa1, 0x20, 0x42]), outcome: /UTF-8/ },
  { name: "oversized.jsonl", text: new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20), outcome: /the limit is 20 MiB/ },
  { name: "many-paragraphs.txt", text: Array.from({ length: 5000 }, (_, i) => `Line ${i}.`).join("\n\n"), outcome: /paragraphs/ },
];

describe("hostile files through the whole ingest", () => {
  it("each either ingests whole or fails with a clear error naming it, in bounded time", { timeout: 120_000 }, async () => {
    const before = lib.articles().length;
    let added = 0;
    for (const { name, text, outcome } of FILES) {
      const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
      const started = performance.now();
      const summary = await lib.ingest([{ name, bytes }]);
      const ms = performance.now() - started;
      expect(ms, `${name} took ${Math.round(ms)} ms`).toBeLessThan(BOUND_MS);
      if (outcome === "ingests") {
        expect(summary.failed, name).toEqual([]);
        expect(summary.added.length, name).toBe(1);
        added++;
        for (const p of lib.paragraph(summary.added[0]!, 1, 100) ?? []) {
          expect(p.text.length).toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
          expect(p.text).not.toMatch(/INJECTED|[\u200b\u200d\ufeff\u202a-\u202e\u2066-\u2069]/);
        }
      } else {
        expect(summary.added, name).toEqual([]);
        expect(summary.failed.length, name).toBeGreaterThan(0);
        for (const f of summary.failed) {
          expect(f.where.startsWith(name), `${f.where} names ${name}`).toBe(true);
          expect(f.reason.length).toBeGreaterThan(20);
        }
        expect(summary.failed.map((f) => f.reason).join("\n"), name).toMatch(outcome);
      }
    }
    expect(lib.articles().length).toBe(before + added);
    expect((await answerOrRefusal("When does the ferry timetable change?") as Answer).quotes[0]?.text).toMatch(/ferry timetable changes in May/);
    expect((await answerOrRefusal(PESKOV) as Answer).status).toBe("answered");
  });

  it("random documents full of bidi, zero-width and markup characters parse or fail cleanly in every format", () => {
    const piece = fc.constantFrom("\u202e", "\u202c", "\u200f", "\u200e", "\u2066", "\u2067", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u061c", "word", "مرحبا", "שלום", ". ", "\n", "\n\n", "<p>", "</p>", "<script>", "# ", "> ", "- ", "{", "}", '"', ",", "[", "]", "---\n");
    const doc = fc.array(piece, { maxLength: 200 }).map((a) => a.join(""));
    const name = fc.constantFrom("r.txt", "r.md", "r.html", "r.json", "r.jsonl");
    fc.assert(
      fc.property(name, doc, (n, text) => {
        const started = performance.now();
        const r = parseSource({ name: n, bytes: new TextEncoder().encode(text) });
        expect(performance.now() - started).toBeLessThan(BOUND_MS);
        expect(r.articles.length + r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) expect(e.where.startsWith(n)).toBe(true);
        // Zero-width characters and bidi embeddings, overrides and isolates (the "Trojan Source"
        // reordering) never reach stored text; the LRM/RLM/ALM marks of real right-to-left text may.
        for (const a of r.articles) for (const p of a.paragraphs) expect(p).not.toMatch(/[\u200b\u200d\ufeff\u00ad\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
