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
  // Plain checks, one expect at the end: tens of thousands of expect() calls would dominate the run.
  expect(spanProblem(p, spans), JSON.stringify(p.slice(0, 200))).toBeUndefined();
}

function spanProblem(p: string, spans: SentenceSpan[]): string | undefined {
  let last = 0;
  for (const [i, s] of spans.entries()) {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end)) return `span ${i} has non-integer bounds`;
    if (s.start < last) return `span ${i} starts at ${s.start}, before the previous end ${last}`;
    if (s.end <= s.start) return `span ${i} is empty or reversed`;
    if (s.end > p.length) return `span ${i} ends past the text`;
    const t = p.slice(s.start, s.end);
    if (t !== t.trim()) return `span ${i} is not trimmed: ${JSON.stringify(t)}`;
    if (p.slice(last, s.start).trim() !== "") return `text before span ${i} is not covered`;
    last = s.end;
  }
  if (p.slice(last).trim() !== "") return "text after the last span is not covered";
  return undefined;
}
