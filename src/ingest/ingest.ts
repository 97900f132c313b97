import { createHash } from "node:crypto";
import path from "node:path";
import { finalizeArticle } from "../articles/identity.ts";
import { parseSourcePaced } from "../articles/parse.ts";
import { splitSentences } from "../articles/sentences.ts";
import type { Article, InputError, SourceFile } from "../articles/types.ts";
import type { EmbeddingProvider } from "../index/embeddings.ts";
import type { Indexes } from "../index/indexes.ts";
import type { IngestProgress, IngestSummary } from "./types.ts";
import type { ArticleRecord, SentenceRow, Store, Supersession } from "../store/store.ts";
import { MAX_ARTICLE_SENTENCES, MAX_INGEST_SENTENCES } from "../articles/limits.ts";
import { storageFailure } from "../store/storage-errors.ts";
import { pacer } from "../common/pace.ts";
import { previousVersion } from "./replacement.ts";

/**
 * A chunk is written in one transaction: each article lands whole, and a kill loses at most the
 * chunk in flight. Chunks are bounded by text as well as count so that progress moves every few
 * seconds even through archives of very long articles.
 */
const CHUNK_ARTICLES = 24;
const CHUNK_CHARS = 60_000;
/** Each sentence is a vector inserted into hnswlib on this thread when the chunk lands: this bounds that stall. */
const CHUNK_SENTENCES = 1_000;
/** A long ingest saves its indexes this often, so a crash costs little catch-up on the next start. */
const SAVE_EVERY_MS = 60_000;

export interface IngestContext {
  store: Store;
  provider: EmbeddingProvider;
  indexes: Indexes;
}

/** What writing one article does: the stored articles it removes (with their titles, for the summary). */
export type Plan = { article: Article; sentences?: SentenceRow[][]; replaces: (Supersession & { title: string })[]; kind: "added" | "replaced"; keptBeside?: { id: string; title: string } };

/** The reason given for each article an ingest did not reach because it was asked to stop. */
export const INGEST_STOPPED = "was not stored: the ingest was stopped before it reached this article (the process was shutting down). Ingest it again.";

/**
 * `stop`, when aborted, ends the ingest after the chunk being written: that chunk lands whole, the
 * rest is reported as failed with INGEST_STOPPED (a shutdown waits seconds, not the whole batch).
 */
export async function ingest(ctx: IngestContext, files: SourceFile[], onProgress?: (p: IngestProgress) => void, stop?: AbortSignal): Promise<IngestSummary> {
  const started = Date.now();
  const summary = emptySummary();
  const pace = pacer();
  const plans = await plan(ctx.store, await readAll(files, summary.failed, pace), summary, pace);
  return write(ctx, plans, summary, onProgress, started, stop);
}

export function emptySummary(): IngestSummary {
  return { added: [], warnings: [], titles: {}, origins: {}, replaced: [], unchanged: [], failed: [], replacements: [], keptBeside: [], cachedSentences: 0, embeddedSentences: 0, words: 0, ms: 0 };
}

/** Carries out plans, chunk by chunk, into `summary`: how files are ingested, and how a revision is restored. */
export async function write(ctx: IngestContext, plans: Plan[], summary: IngestSummary, onProgress?: (p: IngestProgress) => void, started = Date.now(), stop?: AbortSignal): Promise<IngestSummary> {
  const total = plans.length;
  let done = 0;
  let lastSave = Date.now();
  const report = () => onProgress?.({ done, total, words: summary.words, elapsedMs: Date.now() - started });
  report();

  const chunks = chunk(plans);
  const pace = pacer();
  // The next chunk is embedded (in the workers) while this one is written and indexed here.
  let next = chunks.length > 0 ? prepare(ctx, chunks[0]!) : null;
  for (let i = 0; i < chunks.length; i++) {
    if (stop?.aborted) {
      for (const p of chunks.slice(i).flat()) summary.failed.push({ where: `${p.article.origin} (${p.article.id})`, reason: INGEST_STOPPED });
      break;
    }
    const chunk = chunks[i]!;
    const current = next!;
    next = i + 1 < chunks.length ? prepare(ctx, chunks[i + 1]!) : null;
    // Its failure is reported when its turn comes; until then it must not count as unhandled.
    next?.catch(() => {});
    try {
      const prepared = await current;
      ctx.store.cacheVectors(ctx.provider.id, prepared.fresh);
      try {
        land(ctx, summary, chunk, prepared.records);
      } catch (error) {
        if (!isIdConflict(error)) throw error;
        // Another process stored one of these ids since this ingest planned: only that one fails.
        chunk.forEach((p, k) => {
          try {
            land(ctx, summary, [p], [prepared.records[k]!]);
          } catch (single) {
            if (!isIdConflict(single)) throw single;
            summary.failed.push({ where: `${p.article.origin} (${p.article.id})`, reason: ID_TAKEN });
          }
        });
      }
      summary.cachedSentences += prepared.cached;
      summary.embeddedSentences += prepared.fresh.size;
    } catch (error) {
      // A full or read-only disk refuses every later chunk too: stop, and say what did land.
      const storage = storageFailure(error, ctx.store.file, "store the next articles");
      if (storage) {
        const rest = chunks.slice(i).flat();
        summary.warnings.push(
          `Partial result: ${summary.added.length + summary.replaced.length} article(s) were stored whole before the disk refused more; ${rest.length} were not stored. ${storage.message}`,
        );
        for (const p of rest) summary.failed.push({ where: `${p.article.origin} (${p.article.id})`, reason: "was not stored: the disk refused the write (see the note above). Ingest it again once there is room." });
        break;
      }
      const reason = `could not be indexed: ${(error as Error).message}. Nothing of it was stored; run the ingest again.`;
      for (const p of chunk) summary.failed.push({ where: `${p.article.origin} (${p.article.id})`, reason });
    }
    done += chunk.length;
    summary.words += chunk.reduce((n, p) => n + wordCount(p.article), 0);
    report();
    await pace();
    if (Date.now() - lastSave > SAVE_EVERY_MS) {
      await saveIndexes(ctx, summary);
      lastSave = Date.now();
    }
  }
  if (chunks.length > 0) await saveIndexes(ctx, summary);
  summary.ms = Date.now() - started;
  return summary;
}

export const ID_TAKEN = "was not stored: another ingest stored an article with this id at the same moment. Ingest it again: it then replaces that one if it is a new version.";

function land(ctx: IngestContext, summary: IngestSummary, plans: Plan[], records: ArticleRecord[]): void {
  const written = ctx.store.writeArticles(records, plans.flatMap((p) => p.replaces));
  ctx.indexes.refresh(ctx.store);
  recordWritten(summary, plans, written.revisions);
}

function isIdConflict(error: unknown): boolean {
  return (error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY" && /articles\.id/.test((error as Error).message);
}

/** Saved index snapshots only spare the next start a catch-up: a disk that refuses them costs no article. */
async function saveIndexes(ctx: IngestContext, summary: IngestSummary): Promise<void> {
  try {
    await ctx.indexes.save(ctx.store);
  } catch (error) {
    const storage = storageFailure(error, path.join(ctx.indexes.dir, "snapshot"), "save the indexes");
    if (!storage) throw error;
    if (!summary.warnings.some((w) => w.startsWith("The indexes could not be saved"))) {
      summary.warnings.push(`The indexes could not be saved (${storage.message}). Answers are not affected; the next start catches the indexes up from the store.`);
    }
  }
}

/** A written chunk in the summary: ids by kind, and each replacement as old -> new with the revision that keeps the old. */
function recordWritten(summary: IngestSummary, chunk: Plan[], revisions: ReadonlyMap<string, number>): void {
  for (const p of chunk) {
    summary[p.kind].push(p.article.id);
    summary.titles[p.article.id] = p.article.title;
    summary.origins[p.article.id] = p.article.origin;
    for (const r of p.replaces) {
      summary.replacements.push({ id: p.article.id, title: p.article.title, replaced: { id: r.id, title: r.title }, revision: revisions.get(r.id) ?? null });
    }
    if (p.keptBeside) summary.keptBeside.push({ id: p.article.id, title: p.article.title, existing: p.keptBeside });
  }
}

function chunk(plans: Plan[]): Plan[][] {
  const chunks: Plan[][] = [];
  let current: Plan[] = [];
  let chars = 0;
  let sentences = 0;
  for (const p of plans) {
    current.push(p);
    chars += p.article.paragraphs.reduce((n, text) => n + text.length, 0);
    sentences += p.sentences?.reduce((n, s) => n + s.length, 0) ?? 0;
    if (current.length >= CHUNK_ARTICLES || chars >= CHUNK_CHARS || sentences >= CHUNK_SENTENCES) {
      chunks.push(current);
      current = [];
      chars = 0;
      sentences = 0;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function readAll(files: SourceFile[], failed: InputError[], pace: () => Promise<void>): Promise<Article[]> {
  const articles: Article[] = [];
  for (const file of files) {
    const { articles: parsed, errors } = await parseSourcePaced(file, pace, file.filed ? { referenceDate: file.filed } : {});
    failed.push(...errors);
    await pace();
    for (const p of parsed) {
      articles.push(finalizeArticle(p));
      await pace();
    }
  }
  return articles;
}

/** Decides, before any work, what each article does to the store. */
async function plan(store: Store, articles: Article[], summary: IngestSummary, pace: () => Promise<void>): Promise<Plan[]> {
  const byId = new Map<string, Article>();
  for (const a of articles) {
    if (byId.has(a.id)) {
      summary.failed.push({ where: a.origin, reason: `repeats article id "${a.id}" from ${byId.get(a.id)!.origin} in the same batch; only the first was used. Give each article its own id.` });
      continue;
    }
    byId.set(a.id, a);
  }
  const plans: Plan[] = [];
  // Articles of this batch, and those it already replaces, are not anyone's previous version.
  const claimed = new Set(byId.keys());
  let sentenceTotal = 0;
  for (const article of byId.values()) {
    await pace();
    const existing = store.article(article.id);
    if (existing?.contentHash === article.contentHash) {
      summary.unchanged.push(article.id);
      summary.origins[article.id] = article.origin;
      continue;
    }
    const sentences = sentenceRows(article);
    const count = sentences.reduce((n, s) => n + s.length, 0);
    if (count > MAX_ARTICLE_SENTENCES) {
      summary.failed.push({ where: `${article.origin} (${article.id})`, reason: `has ${count.toLocaleString("en-US")} sentences; the limit is ${MAX_ARTICLE_SENTENCES.toLocaleString("en-US")} per article. It is probably several articles, or repeated text, in one record: split it, or fix the export.` });
      continue;
    }
    if (sentenceTotal + count > MAX_INGEST_SENTENCES) {
      summary.failed.push({ where: `${article.origin} (${article.id})`, reason: `was not stored: this ingest already holds ${MAX_INGEST_SENTENCES.toLocaleString("en-US")} sentences, the most one ingest takes. Ingest the rest in another upload.` });
      continue;
    }
    sentenceTotal += count;
    const { replaces, keptBeside } = existing ? { replaces: existing, keptBeside: undefined } : previousVersion(store, article, claimed);
    if (replaces) claimed.add(replaces.id);
    plans.push({
      article,
      sentences,
      replaces: replaces ? [{ id: replaces.id, title: replaces.title, reason: "replaced", by: article.id }] : [],
      kind: replaces ? "replaced" : "added",
      ...(keptBeside ? { keptBeside: { id: keptBeside.id, title: keptBeside.title } } : {}),
    });
  }
  return plans;
}

interface Prepared {
  records: ArticleRecord[];
  fresh: Map<string, number[]>;
  cached: number;
}

/** Sentences, their hashes, and vectors for the ones the cache does not have. */
async function prepare(ctx: IngestContext, chunk: Plan[]): Promise<Prepared> {
  const records: ArticleRecord[] = [];
  const texts = new Map<string, string>();
  for (const p of chunk) {
    const sentences = p.sentences ?? sentenceRows(p.article);
    sentences.forEach((row, idx) => {
      for (const s of row) texts.set(s.hash, p.article.paragraphs[idx]!.slice(s.start, s.end));
    });
    records.push({ article: p.article, sentences });
  }
  const cachedVectors = ctx.store.cachedVectors(ctx.provider.id, [...texts.keys()]);
  const missing = [...texts.entries()].filter(([hash]) => !cachedVectors.has(hash));
  const vectors = await ctx.provider.embeddings.embedDocuments(missing.map(([, text]) => text));
  const fresh = new Map<string, number[]>();
  missing.forEach(([hash], i) => fresh.set(hash, vectors[i]!));
  return { records, fresh, cached: texts.size - missing.length };
}

function sentenceRows(article: Article): SentenceRow[][] {
  return article.paragraphs.map((paragraph) => splitSentences(paragraph).map((s) => ({ ...s, hash: sentenceHash(paragraph.slice(s.start, s.end)) })));
}

export function sentenceHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function wordCount(a: Article): number {
  let n = 0;
  for (const p of a.paragraphs) n += p.split(/\s+/).filter(Boolean).length;
  return n;
}
