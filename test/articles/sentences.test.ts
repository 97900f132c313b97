import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { finalizeArticle } from "../../src/articles/identity.ts";
import { MAX_SENTENCE_CHARS } from "../../src/articles/limits.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { splitSentences } from "../../src/articles/sentences.ts";
import { REFERENCE, SEED_PATH, expectWellFormed } from "./helpers.ts";

function texts(p: string): string[] {
  return splitSentences(p).map((s) => p.slice(s.start, s.end));
}

describe("splitSentences", () => {
  it("maps sentences to exact offsets in the paragraph", () => {
    const p = "  Talks ended.  Both sides left!\tWhat now?  ";
    const spans = splitSentences(p);
    expect(texts(p)).toEqual(["Talks ended.", "Both sides left!", "What now?"]);
    expect(spans[0]).toEqual({ start: 2, end: 14 });
    expectWellFormed(p, spans);
  });

  it("does not split after U.S., Dr., Sen. or initials", () => {
    const p = "U.S. President Donald Trump met Dr. Ana Costa and Sen. John F. Kennedy Jr. in Washington, D.C. on Monday. They talked.";
    expect(texts(p)).toEqual(["U.S. President Donald Trump met Dr. Ana Costa and Sen. John F. Kennedy Jr. in Washington, D.C. on Monday.", "They talked."]);
  });

  it("keeps closing quotes with their sentence", () => {
    const p = "“The impression is that he would like to make a deal,” Trump told reporters in the Oval Office. “What comes out of that meeting I can’t tell you because it does take two to tango. We have something pretty well worked out with Ukraine.” Then he left.";
    expect(texts(p)).toEqual([
      "“The impression is that he would like to make a deal,” Trump told reporters in the Oval Office.",
      "“What comes out of that meeting I can’t tell you because it does take two to tango.",
      "We have something pretty well worked out with Ukraine.”",
      "Then he left.",
    ]);
    expect(texts('He said "stop." Then he left.')).toEqual(['He said "stop."', "Then he left."]);
  });

  it("splits every paragraph of the seed cleanly", () => {
    const article = finalizeArticle(parseSource({ name: "seed.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: REFERENCE }).articles[0]!);
    for (const p of article.paragraphs) expectWellFormed(p, splitSentences(p));
    const first = texts(article.paragraphs[0]!);
    expect(first).toHaveLength(1); // "U.S. President" does not end the sentence
    expect(texts(article.paragraphs[1]!)).toHaveLength(3);
  });

  it("returns nothing for empty or blank text", () => {
    expect(splitSentences("")).toEqual([]);
    expect(splitSentences(" \n\t ")).toEqual([]);
  });

  it("keeps text without final punctuation as one sentence", () => {
    expect(texts("no punctuation at all")).toEqual(["no punctuation at all"]);
  });

  it("splits a very long sentence near 500 characters, preferring ; then ,", () => {
    const clause = "the committee reviewed the budget line by line and found small errors";
    const p = Array.from({ length: 30 }, (_, i) => `${clause} ${i}`).join("; ") + ".";
    const spans = splitSentences(p);
    expectWellFormed(p, spans);
    expect(spans.length).toBeGreaterThan(3);
    for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    for (const t of texts(p).slice(0, -1)) expect(t.endsWith(";")).toBe(true);

    const words = "word ".repeat(800).trim();
    const wordSpans = splitSentences(words);
    expectWellFormed(words, wordSpans);
    for (const s of wordSpans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
  });

  it("cuts a long run without spaces without splitting a surrogate pair", () => {
    const p = "😀".repeat(1500);
    const spans = splitSentences(p);
    expectWellFormed(p, spans);
    for (const s of spans) {
      expect(p.charCodeAt(s.start)).not.toBe(p.charCodeAt(1)); // never starts on a low surrogate
      expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    }
  });

  it("copes with no-break spaces and line separators that sbd rewrites", () => {
    const p = "First\u00a0one here. Second\u2028line here. Third.";
    expectWellFormed(p, splitSentences(p));
    expect(texts(p)).toEqual(["First\u00a0one here.", "Second\u2028line here.", "Third."]);
  });

  it("stays fast on long pathological paragraphs", () => {
    for (const p of [". ".repeat(50_000), "a. A ".repeat(20_000), "word ".repeat(100_000), ".".repeat(200_000)]) {
      const started = performance.now();
      const spans = splitSentences(p);
      expect(performance.now() - started).toBeLessThan(5_000);
      expectWellFormed(p, spans);
    }
  });
});
