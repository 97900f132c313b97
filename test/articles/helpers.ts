import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { SentenceSpan, SourceFile } from "../../src/articles/types.ts";

export const SEED_PATH = new URL("../../data/articles/000_ff91c482c5c7be67.txt", import.meta.url);

/** A fixture under test/fixtures/articles as a SourceFile named like the fixture. */
export function fixture(name: string): SourceFile {
  return { name, bytes: readFileSync(new URL(`../fixtures/articles/${name}`, import.meta.url)) };
}

/** An in-memory file from text. */
export function textFile(name: string, text: string): SourceFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

/** The Wednesday after the seed's "Dec 04", so its year is inferred as 2025. */
export const REFERENCE = new Date("2025-12-10T12:00:00Z");

/** The contract every result must meet, whatever the input. */
export function expectWellFormed(p: string, spans: SentenceSpan[]): void {
  let last = 0;
  for (const s of spans) {
    expect(s.start).toBeGreaterThanOrEqual(last);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.end).toBeLessThanOrEqual(p.length);
    const t = p.slice(s.start, s.end);
    expect(t).toBe(t.trim());
    expect(p.slice(last, s.start).trim()).toBe(""); // nothing but whitespace between sentences
    last = s.end;
  }
  expect(p.slice(last).trim()).toBe("");
}

