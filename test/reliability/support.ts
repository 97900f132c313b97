/**
 * Shared helpers of the reliability tests: generated corpora whose every paragraph carries a unique
 * token, child processes of the real CLIs, and a whole-or-absent check of a store and its indexes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { checkStore } from "../../src/maintenance/doctor.ts";
import { Indexes } from "../../src/index/indexes.ts";
import { loadSnapshot } from "../../src/index/snapshot.ts";
import { USE_LITE_DIMENSION, USE_LITE_ID } from "../../src/index/use-lite-model.ts";
import { sentenceHash } from "../../src/ingest/ingest.ts";
import { Store } from "../../src/store/store.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

import { mulberry32 } from "../../src/eval/datasets.ts";

/** Seeded: the reliability tests must not depend on Math.random. */
export { mulberry32 };

export interface GeneratedArticle {
  id: string;
  title: string;
  paragraphs: string[];
}

const SUBJECTS = ["The harbour council", "The mayor", "A spokesperson", "Local farmers", "The railway company", "Volunteers", "The museum board", "Fishermen"];
const PREDICATES = ["met on Tuesday evening", "promised an answer within a month", "declined to comment further", "welcomed the early rain", "expect the works to end next year", "asked about the new bridge"];
/** Sentences shared by many articles: the embedding cache makes each cost one embedding in all. */
export const SHARED_SENTENCES = SUBJECTS.flatMap((s) => PREDICATES.map((p) => `${s} ${p}.`));

/** The unique word in paragraph `p` (0-based) of article `i`: found by BM25 in exactly that paragraph. */
export const token = (prefix: string, i: number, p: number) => `${prefix}${i}q${p}`;

/**
 * `n` articles with distinct ids, 2-3 paragraphs each, of one or two shared sentences. With
 * `unique`, each paragraph also opens with a unique short sentence carrying its token (which costs
 * an embedding per paragraph); without, only the title carries one (`${prefix}${i}`), and the whole
 * corpus embeds 48 sentences, so an ingest spends its time writing and indexing, not in the model.
 */
export function generateArticles(n: number, seed: number, options: { prefix?: string; unique?: boolean } = {}): GeneratedArticle[] {
  const prefix = options.prefix ?? "zx";
  const rand = mulberry32(seed);
  const pick = () => SHARED_SENTENCES[Math.floor(rand() * SHARED_SENTENCES.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const count = 2 + Math.floor(rand() * 2);
    const paragraphs = Array.from({ length: count }, (_, p) => {
      const shared = rand() < 0.5 ? `${pick()} ${pick()}` : pick();
      return options.unique ? `Marker ${token(prefix, i, p)} opens part ${p + 1} of dispatch ${i}. ${shared}` : shared;
    });
    return { id: `${prefix}-${i}`, title: `Dispatch ${prefix}${i} from the coast`, paragraphs };
  });
}

export function toJsonl(articles: GeneratedArticle[]): string {
  return articles.map((a) => JSON.stringify({ id: a.id, title: a.title, source: "Reliability Wire", url: null, published: "2025-01-02", paragraphs: a.paragraphs })).join("\n") + "\n";
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx SCRIPT ARGS` from the project root, with one embedding thread at most. */
export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, EMBED_WORKERS: "0", DEBUG: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export async function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<ChildResult> {
  const { child, done } = startNode(script, args, env);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

/** Articles committed so far, read through a separate read-only connection (0 before the store exists). */
export function committedArticles(dataDir: string): number {
  const file = path.join(dataDir, "store.db");
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 2000");
      return db.prepare("SELECT count(*) FROM articles").pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // created but not yet initialised
  }
}

/**
 * The crash-safety promise, checked on a data directory as a killed process left it:
 *   - the saved index snapshots are loadable (none, or whole: never half-written);
 *   - the doctor finds the store consistent;
 *   - every stored article is one of `expected`, with exactly its paragraphs, sentence records
 *     inside them (hash = text), a cached vector per sentence;
 *   - opened (catching up), the vector index holds exactly the stored sentences (no orphans) and the
 *     lexical index exactly the stored paragraphs, with no rebuild warning.
 * `others` articles not in `expected` may be stored too (checked by the doctor only). Returns the
 * ids of `expected` present.
 */
export async function expectWholeOrAbsent(dataDir: string, expected: GeneratedArticle[], options: { others?: number } = {}): Promise<Set<string>> {
  const indexDir = path.join(dataDir, "index");
  for (const name of ["vectors", "lexical"]) expect(() => loadSnapshot(indexDir, name), `${name} snapshot`).not.toThrow();

  const store = Store.open(dataDir);
  // The rows as SQLite holds them, read beside the store, not through it.
  const db = new Database(path.join(dataDir, "store.db"), { readonly: true });
  try {
    expect(checkStore(dataDir, store, { id: USE_LITE_ID }, USE_LITE_DIMENSION)).toEqual([]);
    const byId = new Map(expected.map((a) => [a.id, a]));
    const present = new Set<string>();
    const articles = db.prepare("SELECT id, paragraph_count AS n FROM articles").all() as { id: string; n: number }[];
    const paragraphsOf = db.prepare("SELECT id, idx, text FROM paragraphs WHERE article_id = ? ORDER BY idx");
    const sentencesOf = db.prepare("SELECT s.start, s.end, s.hash, (SELECT count(*) FROM embeddings e WHERE e.model = ? AND e.hash = s.hash) AS vectors FROM sentences s WHERE paragraph_id = ? ORDER BY start");
    expect(articles.filter((a) => !byId.has(a.id)).length, "stored articles that were never ingested").toBe(options.others ?? 0);
    for (const { id, n } of articles) {
      const source = byId.get(id);
      if (!source) continue;
      const rows = paragraphsOf.all(id) as { id: number; idx: number; text: string }[];
      expect(n).toBe(source!.paragraphs.length);
      expect(rows.map((r) => r.text)).toEqual(source!.paragraphs);
      for (const p of rows) {
        const sentences = sentencesOf.all(USE_LITE_ID, p.id) as { start: number; end: number; hash: string; vectors: number }[];
        expect(sentences.length, `sentences of ${id} paragraph ${p.idx + 1}`).toBeGreaterThan(0);
        for (const s of sentences) {
          expect(sentenceHash(p.text.slice(s.start, s.end))).toBe(s.hash);
          expect(s.vectors, `vector of a sentence of ${id}`).toBe(1);
        }
      }
      present.add(id);
    }
    expect(db.pragma("foreign_key_check")).toEqual([]);

    const warnings: string[] = [];
    const indexes = await Indexes.open(dataDir, store, USE_LITE_ID, USE_LITE_DIMENSION, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    const sentenceIds = store.allSentenceIds();
    const labels = indexes.vectors.labels();
    expect(labels.length).toBe(sentenceIds.size);
    expect(labels.every((l) => sentenceIds.has(l)), "no orphan vectors").toBe(true);
    const paragraphIds = store.allParagraphIds();
    expect(indexes.lexical.size).toBe(paragraphIds.size);
    for (const id of paragraphIds) expect(indexes.lexical.has(id)).toBe(true);
    return present;
  } finally {
    db.close();
    store.close();
  }
}
