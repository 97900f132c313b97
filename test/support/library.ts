import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { Answer, AnswerOptions } from "../../src/answer/types.ts";
import type { SourceFile } from "../../src/articles/types.ts";
import { openLibrary, type OpenOptions } from "../../src/library.ts";
import type { Library } from "../../src/library-types.ts";

/** A library on a fresh temporary data directory; `cleanup()` closes it and removes the folder. */
export async function tempLibrary(options: OpenOptions & { workers?: number } = {}): Promise<{ lib: Library; dir: string; cleanup: () => Promise<void> }> {
  const dir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "nq-test-"));
  const lib = await openLibrary({
    ...options,
    dataDir: dir,
    env: { EMBED_WORKERS: String(options.workers ?? 0), ...options.env },
    warn: options.warn ?? (() => {}),
  });
  return {
    lib,
    dir,
    cleanup: async () => {
      await lib.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function textFile(name: string, text: string): SourceFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

/**
 * Asks and checks the product's first promise on every answer: each quote is found verbatim at its
 * recorded offsets in the cited paragraph, and its citation names that article and paragraph.
 */
export async function ask(lib: Library, question: string, options?: AnswerOptions): Promise<Answer> {
  const answer = await lib.answer(question, options);
  expectVerbatim(lib, answer);
  return answer;
}

export function expectVerbatim(lib: Library, answer: Pick<Answer, "quotes" | "citations">): void {
  for (const q of answer.quotes) {
    const [stored] = lib.paragraph(q.articleId, q.paragraph) ?? [];
    expect(stored, `quote cites ${q.articleId} paragraph ${q.paragraph}, which must exist`).toBeDefined();
    expect(stored!.text.slice(q.start, q.end)).toBe(q.text);
    const citation = answer.citations.find((c) => c.n === q.citation);
    expect(citation?.articleId).toBe(q.articleId);
    expect(citation?.paragraph).toBe(q.paragraph);
  }
}
