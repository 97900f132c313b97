import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finalizeArticle } from "../../src/articles/identity.ts";
import { MAX_PARAGRAPH_CHARS, MAX_SENTENCE_CHARS } from "../../src/articles/limits.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { splitSentences } from "../../src/articles/sentences.ts";
import type { ParseResult } from "../../src/articles/types.ts";
import { expectWellFormed } from "./helpers.ts";

/** Pieces that stress sentence splitting: abbreviations, quotes, odd spaces, surrogates, markup. */
const token = fc.oneof(
  fc.constantFrom(
    "U.S.", "Dr.", "Sen.", "a.m.", "e.g.", ".", "...", "?", "!", "?!", "“", "”", "‘", "’", '"', "'", "(", ")",
    " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\u200b", "\ufeff", "😀", "\ud800", "\udc00", "é", "e\u0301",
    "The", "He said", "Putin", "12.5", "No.", "END/WD/", "<p>", "</p>", "**", "_", "[x](y)", "# ", "- ", "{", "}",
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }),
);
const text = fc.array(token, { maxLength: 80 }).map((parts) => parts.join(""));

const names = fc.constantFrom("a.txt", "a.text", "a.md", "a.markdown", "a.html", "a.htm", "a.json", "a.jsonl", "a.ndjson", "a", "a.bin", "a.xyz");

function checkResult(name: string, r: ParseResult): void {
  // Every input ends as articles or as errors naming it; never as nothing.
  expect(r.articles.length + r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(e.where.startsWith(name)).toBe(true);
    expect(e.reason.length).toBeGreaterThan(10);
    expect(e.reason).not.toMatch(/internal error/);
  }
  for (const a of r.articles) {
    expect(a.paragraphs.length).toBeGreaterThan(0);
    for (const p of a.paragraphs) {
      expect(p).toBe(p.trim());
      expect(p.length).toBeGreaterThan(0);
      expect(p.length).toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
    }
    const article = finalizeArticle(a);
    expect(article.id.length).toBeGreaterThan(0);
    expect(article.paragraphs).toEqual(a.paragraphs);
    for (const p of article.paragraphs) expectWellFormed(p, splitSentences(p));
  }
}

describe("properties", () => {
  it("splitSentences returns in-bounds, ordered, non-overlapping, trimmed spans for any string", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary", maxLength: 300 })), (p) => {
        const spans = splitSentences(p);
        expectWellFormed(p, spans);
        for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      }),
      { numRuns: 400 },
    );
  });

  it("parseSource never throws on random bytes, whatever the name", () => {
    fc.assert(
      fc.property(names, fc.uint8Array({ maxLength: 600 }), (name, bytes) => {
        checkResult(name, parseSource({ name, bytes }));
      }),
      { numRuns: 300 },
    );
  });

  it("parseSource never throws on random text in every format", () => {
    fc.assert(
      fc.property(names, text, (name, t) => {
        checkResult(name, parseSource({ name, bytes: new TextEncoder().encode(t) }));
      }),
      { numRuns: 400 },
    );
  });

  it("parseSource handles random JSON records", () => {
    const record = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        title: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        source: fc.oneof(fc.string(), fc.constant(null)),
        url: fc.oneof(fc.webUrl(), fc.string(), fc.constant(null)),
        published: fc.oneof(fc.constant("2025-12-04"), fc.string(), fc.constant(null)),
        paragraphs: fc.oneof(fc.array(text, { maxLength: 5 }), fc.array(fc.anything(), { maxLength: 3 }), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), fc.boolean(), (records, lines) => {
        const name = lines ? "r.jsonl" : "r.json";
        const body = lines ? records.map((r) => JSON.stringify(r)).join("\n") : JSON.stringify(records);
        const r = parseSource({ name, bytes: new TextEncoder().encode(body) });
        checkResult(name, r);
        // One result per record; an empty list is one error.
        expect(r.articles.length + r.errors.length).toBe(records.length || 1);
      }),
      { numRuns: 200 },
    );
  });

  it("finishes quickly", () => {
    const started = performance.now();
    fc.assert(
      fc.property(names, text, (name, t) => {
        parseSource({ name, bytes: new TextEncoder().encode(t.repeat(50)) });
      }),
      { numRuns: 100 },
    );
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
