/**
 * A single writer and many readers: questions keep being answered while an ingest runs, and no
 * answer ever sees half an article. Every generated article carries a unique token in every
 * paragraph, and the questions ask for those tokens while the articles are arriving; whenever an
 * answer cites or ranks one of them, all its paragraphs must already be there.
 *   - in one process: the same library ingests and answers (the bot's situation);
 *   - across processes: `npm run ingest` writes while this process's library answers, and a
 *     reader's indexes, refreshed continuously meanwhile, end exactly equal to the store.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/types.ts";
import { Indexes } from "../../src/index/indexes.ts";
import { USE_LITE_DIMENSION, USE_LITE_ID } from "../../src/index/use-lite-model.ts";
import type { Library } from "../../src/library-types.ts";
import { Store } from "../../src/store/store.ts";
import { expectVerbatim, tempLibrary } from "../support/library.ts";
import { generateArticles, mulberry32, startNode, toJsonl, token, type GeneratedArticle } from "./support.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";
/** Generous: CI shares two cores, and an answer may wait for a chunk being written. */
const ANSWER_BOUND_MS = 5_000;

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "nq-load-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every generated article an answer cites, quotes or ranks is whole in the store. Returns how many it named. */
function expectNoHalfArticles(lib: Library, answer: Answer, byId: Map<string, GeneratedArticle>): number {
  expectVerbatim(lib, answer);
  const named = new Set([...answer.citations.map((c) => c.articleId), ...answer.quotes.map((q) => q.articleId), ...answer.ranked.map((r) => r.articleId)]);
  let generated = 0;
  for (const id of named) {
    const source = byId.get(id);
    if (!source) continue;
    generated++;
    const stored = lib.paragraph(id, 1, source.paragraphs.length) ?? [];
    expect(stored.map((p) => p.text), `article ${id} as an answer saw it`).toEqual(source.paragraphs);
    expect(stored[0]?.of).toBe(source.paragraphs.length);
  }
  return generated;
}

/** Asks about random tokens (arrived or not) until `until` settles; returns what was seen. */
async function askWhile(lib: Library, until: Promise<unknown>, articles: GeneratedArticle[], prefix: string, seed: number) {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const rand = mulberry32(seed);
  let settled = false;
  void until.then(
    () => (settled = true),
    () => (settled = true),
  );
  const seen = { answers: 0, citingNew: 0, slowestMs: 0 };
  while (!settled) {
    const i = Math.floor(rand() * articles.length);
    const p = Math.floor(rand() * articles[i]!.paragraphs.length);
    const question = rand() < 0.2 ? PESKOV : `What opens part ${p + 1} of dispatch ${token(prefix, i, p)}?`;
    const started = performance.now();
    const answer = await lib.answer(question);
    seen.slowestMs = Math.max(seen.slowestMs, performance.now() - started);
    if (question === PESKOV) expect(answer.status).toBe("answered");
    if (expectNoHalfArticles(lib, answer, byId) > 0) seen.citingNew++;
    seen.answers++;
    // Let the writer in between questions, as separate users' questions would.
    await new Promise((r) => setTimeout(r, 5));
  }
  return seen;
}

describe("questions during an ingest", () => {
  it("in the same library: answers keep coming and never see half an article", { timeout: 120_000 }, async () => {
    const articles = generateArticles(32, 21, { prefix: "ld", unique: true });
    const { lib, cleanup } = await tempLibrary({ dataDir: path.join(work, "same"), workers: 1 });
    try {
      await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
      const ingesting = lib.ingest([{ name: "dispatches.jsonl", bytes: Buffer.from(toJsonl(articles)) }]);
      const seen = await askWhile(lib, ingesting, articles, "ld", 1);
      const summary = await ingesting;
      expect(summary.added.length).toBe(articles.length);
      expect(seen.answers, JSON.stringify(seen)).toBeGreaterThanOrEqual(5);
      expect(seen.citingNew, "some answers came from articles that arrived during the ingest").toBeGreaterThan(0);
      expect(seen.slowestMs).toBeLessThan(ANSWER_BOUND_MS);
      // Afterwards every token finds its own paragraph first.
      for (const i of [0, 17, 31]) {
        const a = await lib.answer(`What opens part 1 of dispatch ${token("ld", i, 0)}?`);
        expect(a.ranked[0]).toMatchObject({ articleId: `ld-${i}`, paragraph: 1 });
      }
    } finally {
      await cleanup();
    }
  });

  it("across processes: `npm run ingest` writes while this process answers and keeps its indexes in step", { timeout: 120_000 }, async () => {
    const articles = generateArticles(32, 22, { prefix: "lx", unique: true });
    const dataDir = path.join(work, "cross");
    const jsonl = path.join(work, "cross.jsonl");
    writeFileSync(jsonl, toJsonl(articles));
    const { lib } = await tempLibrary({ dataDir });
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    const store = Store.open(dataDir);
    const reader = await Indexes.open(dataDir, store, USE_LITE_ID, USE_LITE_DIMENSION, () => {});
    // A second reader that does nothing but catch up, as fast as it can, while the writer commits.
    const refreshing = setInterval(() => reader.refresh(store), 2);
    try {
      const { done } = startNode("src/cli/ingest.ts", ["--data-dir", dataDir, jsonl], { EMBED_WORKERS: "1" });
      const seen = await askWhile(lib, done, articles, "lx", 2);
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(seen.answers, JSON.stringify(seen)).toBeGreaterThanOrEqual(5);
      expect(seen.citingNew, "some answers came from articles that arrived during the ingest").toBeGreaterThan(0);
      expect(seen.slowestMs).toBeLessThan(ANSWER_BOUND_MS);
      clearInterval(refreshing);
      reader.refresh(store);
      const sentences = store.allSentenceIds();
      expect(new Set(reader.vectors.labels())).toEqual(sentences);
      expect(reader.lexical.size).toBe(store.allParagraphIds().size);
      expect(store.counts().articles).toBe(articles.length + 1);
      const last = await lib.answer(`What opens part 2 of dispatch ${token("lx", 30, 1)}?`);
      expect(last.ranked[0]).toMatchObject({ articleId: "lx-30", paragraph: 2 });
    } finally {
      clearInterval(refreshing);
      store.close();
      await lib.close();
    }
  });
});
