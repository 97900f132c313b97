import type { EmbeddingProvider } from "../index/embeddings.ts";
import { dropSnapshots, indexDir, staleSnapshot, unsavedSnapshots } from "../index/indexes.ts";
import { LexicalIndex } from "../index/lexical-index.ts";
import { SnapshotError } from "../index/snapshot.ts";
import { VectorIndex } from "../index/vector-index.ts";
import { reindex } from "./reindex.ts";
import type { Store } from "../store/store.ts";

/** One thing wrong with a store, what it means, and whether `--repair` can fix it. */
export interface Finding {
  problem: string;
  fix: string;
  repairable: boolean;
  /** Repairing it means embedding stored text (rather than only rebuilding the indexes). */
  embed?: boolean;
}

const REBUILD = "--repair rebuilds it from the store now (the next start would also rebuild it)";

/**
 * Compares the store (the truth) with what is derived from it: recorded model, embedding cache,
 * vector index and lexical index. Reads only, in one read transaction (so an ingest running in
 * another process cannot make a consistent store look inconsistent); nothing is changed.
 */
export function checkStore(dataDir: string, store: Store, provider: { id: string }, dimension: number): Finding[] {
  return store.consistentRead(() => check(dataDir, store, provider, dimension));
}

function check(dataDir: string, store: Store, provider: { id: string }, dimension: number): Finding[] {
  const findings: Finding[] = [];
  const integrity = store.maintenance.integrity();
  if (integrity !== "ok") {
    findings.push({ problem: `SQLite reports damage in store.db: ${integrity}`, fix: "restore store.db from a backup, or move the data directory away and ingest the articles again", repairable: false });
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

  const dangling = store.maintenance.danglingRows();
  if (dangling > 0) {
    findings.push({ problem: `${dangling} paragraph or sentence row(s) belong to no article`, fix: "ingest the affected articles again; --repair does not delete anything", repairable: false });
  }
  const miscounted = store.maintenance.miscountedArticles();
  if (miscounted.length > 0) {
    findings.push({ problem: `${miscounted.length} article(s) do not have the paragraphs they list (e.g. ${miscounted[0]})`, fix: "ingest those articles again; --repair does not delete articles", repairable: false });
  }
  const unsplit = store.maintenance.unsplitArticles();
  if (unsplit.length > 0) {
    findings.push({ problem: `${unsplit.length} article(s) have paragraphs without sentence records (e.g. ${unsplit[0]})`, fix: "ingest those articles again; --repair does not delete articles", repairable: false });
  }
  const badOffsets = store.maintenance.sentencesOutOfBounds();
  if (badOffsets > 0) {
    findings.push({ problem: `${badOffsets} sentence record(s) point outside their paragraph`, fix: "ingest the affected articles again; --repair does not delete articles", repairable: false });
  }
  const unvectored = store.maintenance.unvectoredSentences(provider.id);
  if (unvectored > 0) findings.push({ problem: `${unvectored} sentence(s) have no vector in the embedding cache, so they cannot be found by meaning`, fix: "--repair embeds them from the stored text", repairable: true, embed: true });

  const dir = indexDir(dataDir);
  const sentenceIds = store.allSentenceIds();
  try {
    const loaded = VectorIndex.load(dir, provider.id, dimension);
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
    const loaded = LexicalIndex.load(dir);
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
  return unsavedSnapshots(dataDir);
}

/**
 * Repairs what can be repaired without losing an article: missing vectors are embedded from stored
 * text (with the configured model, which the store then records), and both index snapshots are
 * dropped, so that the next open (the doctor does one) rebuilds them from the store. Articles,
 * paragraphs and sentences are never touched.
 */
export async function repairStore(dataDir: string, store: Store, provider: EmbeddingProvider, findings: Finding[]): Promise<void> {
  if (findings.some((f) => f.embed)) await reindex(dataDir, store, provider);
  dropSnapshots(dataDir);
}
