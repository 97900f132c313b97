import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { EmbeddingProvider } from "../index/embeddings.ts";
import { staleSnapshot } from "../index/indexes.ts";
import { LexicalIndex } from "../index/lexical-index.ts";
import { SnapshotError } from "../index/snapshot.ts";
import { VectorIndex } from "../index/vector-index.ts";
import { reindex } from "../ingest/reindex.ts";
import type { Store } from "../store/store.ts";

/** One thing wrong with a store, what it means, and whether `--repair` can fix it. */
export interface Finding {
  problem: string;
  fix: string;
  repairable: boolean;
  /** Repairing it means embedding stored text (rather than only rebuilding the indexes). */
  embed?: boolean;
}

/** Names of the derived indexes' snapshot files under `DATA_DIR/index/` (see src/index/snapshot.ts). */
export const SNAPSHOTS = [
  { name: "vectors", what: "vector index" },
  { name: "lexical", what: "lexical index" },
] as const;

const REBUILD = "--repair rebuilds it from the store now (the next start would also rebuild it)";

/**
 * Compares the store (the truth) with what is derived from it: recorded model, embedding cache,
 * vector index and lexical index. Reads only, in one read transaction (so an ingest running in
 * another process cannot make a consistent store look inconsistent); nothing is changed.
 */
export function checkStore(dataDir: string, store: Store, provider: { id: string }, dimension: number): Finding[] {
  return store.db.transaction(() => check(dataDir, store, provider, dimension))();
}

function check(dataDir: string, store: Store, provider: { id: string }, dimension: number): Finding[] {
  const findings: Finding[] = [];
  const integrity = store.db.pragma("quick_check", { simple: true });
  if (integrity !== "ok") {
    findings.push({ problem: `SQLite reports damage in store.db: ${String(integrity)}`, fix: "restore store.db from a backup, or move the data directory away and ingest the articles again", repairable: false });
    return findings;
  }
  const counts = store.counts();
  const recorded = store.meta("embedding_model");
  if (recorded && counts.sentences > 0 && (recorded !== provider.id || Number(store.meta("embedding_dimension")) !== dimension)) {
    findings.push({
      problem: `the store's vectors were made by ${recorded} (${store.meta("embedding_dimension")}-d), but ${provider.id} (${dimension}-d) is configured`,
      // Not --repair's call: switching models re-embeds the whole archive (maybe on a paid API).
      fix: "set EMBEDDINGS back to the model that built the store, or re-embed every article with the configured one: `npm run reindex`",
      repairable: false,
    });
    return findings;
  }

  const dangling = store.db.pragma("foreign_key_check") as unknown[];
  if (dangling.length > 0) {
    findings.push({ problem: `${dangling.length} paragraph or sentence row(s) belong to no article`, fix: "ingest the affected articles again; --repair does not delete anything", repairable: false });
  }
  const miscounted = store.db
    .prepare("SELECT id FROM articles a WHERE paragraph_count != (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.id)")
    .pluck()
    .all() as string[];
  if (miscounted.length > 0) {
    findings.push({ problem: `${miscounted.length} article(s) do not have the paragraphs they list (e.g. ${miscounted[0]})`, fix: "ingest those articles again; --repair does not delete articles", repairable: false });
  }
  const unsplit = store.db
    .prepare("SELECT DISTINCT p.article_id FROM paragraphs p WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.paragraph_id = p.id)")
    .pluck()
    .all() as string[];
  if (unsplit.length > 0) {
    findings.push({ problem: `${unsplit.length} article(s) have paragraphs without sentence records (e.g. ${unsplit[0]})`, fix: "ingest those articles again; --repair does not delete articles", repairable: false });
  }
  const badOffsets = store.db
    .prepare("SELECT count(*) FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id WHERE s.start < 0 OR s.end <= s.start OR s.end > length(p.text)")
    .pluck()
    .get() as number;
  if (badOffsets > 0) {
    findings.push({ problem: `${badOffsets} sentence record(s) point outside their paragraph`, fix: "ingest the affected articles again; --repair does not delete articles", repairable: false });
  }
  const unvectored = store.db
    .prepare("SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.hash = s.hash)")
    .pluck()
    .get(provider.id) as number;
  if (unvectored > 0) findings.push({ problem: `${unvectored} sentence(s) have no vector in the embedding cache, so they cannot be found by meaning`, fix: "--repair embeds them from the stored text", repairable: true, embed: true });

  const indexDir = path.join(dataDir, "index");
  const sentenceIds = store.allSentenceIds();
  try {
    const loaded = VectorIndex.load(indexDir, provider.id, dimension);
    const stale = loaded ? staleSnapshot(loaded.generation, store) : null;
    if (stale) {
      findings.push({ problem: `the saved vector index ${stale}`, fix: REBUILD, repairable: true });
    } else {
      const vectors = loaded ?? VectorIndex.empty(provider.id, dimension);
      vectors.catchUp(store);
      const labels = new Set(vectors.labels());
      const orphans = [...labels].filter((l) => !sentenceIds.has(l)).length;
      const missing = [...sentenceIds].filter((id) => !labels.has(id)).length;
      if (orphans + missing > 0) {
        findings.push({ problem: `the vector index has ${orphans} vector(s) of no stored sentence and lacks ${missing} stored sentence(s)`, fix: REBUILD, repairable: true });
      }
    }
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    findings.push({ problem: `the vector index is damaged: ${error.message}`, fix: REBUILD, repairable: true });
  }

  const paragraphIds = store.allParagraphIds();
  try {
    const loaded = LexicalIndex.load(indexDir);
    const stale = loaded ? staleSnapshot(loaded.generation, store) : null;
    if (stale) {
      findings.push({ problem: `the saved lexical index ${stale}`, fix: REBUILD, repairable: true });
    } else {
      const lexical = loaded ?? LexicalIndex.empty();
      lexical.catchUp(store);
      const missing = [...paragraphIds].filter((id) => !lexical.has(id)).length;
      const orphans = lexical.size - (paragraphIds.size - missing);
      if (orphans + missing > 0) {
        findings.push({ problem: `the lexical index has ${orphans} entr(ies) of no stored paragraph and lacks ${missing} stored paragraph(s)`, fix: REBUILD, repairable: true });
      }
    }
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    findings.push({ problem: `the lexical index is damaged: ${error.message}`, fix: REBUILD, repairable: true });
  }
  return findings;
}

/**
 * Indexes with no saved snapshot. Not a problem (an ingest killed before its first save leaves
 * none; the next start builds them from the store), but worth saying: that start takes longer.
 */
export function unsavedIndexes(dataDir: string, store: Store): string[] {
  if (store.counts().articles === 0) return [];
  return SNAPSHOTS.filter(({ name }) => !existsSync(path.join(dataDir, "index", `${name}.json`))).map(({ what }) => what);
}

/**
 * Repairs what can be repaired without losing an article: missing vectors are embedded from stored
 * text (with the configured model, which the store then records), and both index snapshots are
 * dropped, so that the next open (the doctor does one) rebuilds them from the store. Articles,
 * paragraphs and sentences are never touched.
 */
export async function repairStore(dataDir: string, store: Store, provider: EmbeddingProvider, findings: Finding[]): Promise<void> {
  if (findings.some((f) => f.embed)) await reindex(dataDir, store, provider);
  const indexDir = path.join(dataDir, "index");
  if (!existsSync(indexDir)) return;
  for (const f of readdirSync(indexDir)) {
    if (SNAPSHOTS.some(({ name }) => f === `${name}.json` || (f.startsWith(`${name}.`) && (f.endsWith(".bin") || f.endsWith(".tmp"))))) {
      rmSync(path.join(indexDir, f), { force: true });
    }
  }
}
