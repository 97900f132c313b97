import { rmSync } from "node:fs";
import path from "node:path";
import type { EmbeddingProvider } from "../index/embeddings.ts";
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
}

/**
 * Compares the store (the truth) with what is derived from it: recorded model, embedding cache,
 * vector index and lexical index. Reads only; nothing is changed.
 */
export function checkStore(dataDir: string, store: Store, provider: { id: string }, dimension: number): Finding[] {
  const findings: Finding[] = [];
  const integrity = store.db.pragma("quick_check", { simple: true });
  if (integrity !== "ok") {
    findings.push({ problem: `SQLite reports damage in store.db: ${String(integrity)}`, fix: "restore store.db from a backup, or move the data directory away and ingest the articles again", repairable: false });
    return findings;
  }
  const recorded = store.meta("embedding_model");
  if (recorded && recorded !== provider.id && store.counts().sentences > 0) {
    findings.push({ problem: `the store's vectors were made by ${recorded}, but ${provider.id} is configured`, fix: "`npm run reindex` (or --repair) re-embeds every article with the configured model", repairable: true });
    return findings;
  }
  const miscounted = store.db
    .prepare("SELECT id FROM articles a WHERE paragraph_count != (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.id)")
    .pluck()
    .all() as string[];
  if (miscounted.length > 0) {
    findings.push({ problem: `${miscounted.length} article(s) do not have the paragraphs they list (e.g. ${miscounted[0]})`, fix: "ingest those articles again; --repair does not delete articles", repairable: false });
  }
  const unvectored = store.db
    .prepare("SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.hash = s.hash)")
    .pluck()
    .get(provider.id) as number;
  if (unvectored > 0) findings.push({ problem: `${unvectored} sentence(s) have no vector`, fix: "--repair embeds them", repairable: true });

  const indexDir = path.join(dataDir, "index");
  const sentenceIds = store.allSentenceIds();
  try {
    const vectors = VectorIndex.load(indexDir, provider.id, dimension) ?? VectorIndex.empty(provider.id, dimension);
    vectors.catchUp(store);
    const labels = new Set(vectors.labels());
    const orphans = [...labels].filter((l) => !sentenceIds.has(l)).length;
    const missing = [...sentenceIds].filter((id) => !labels.has(id)).length;
    if (orphans + missing > 0) {
      findings.push({ problem: `the vector index has ${orphans} vector(s) of no stored sentence and lacks ${missing} stored sentence(s)`, fix: "--repair rebuilds it from the store", repairable: true });
    }
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    findings.push({ problem: `the vector index is damaged: ${error.message}`, fix: "--repair rebuilds it from the store (opening the library also does)", repairable: true });
  }

  const paragraphIds = store.allParagraphIds();
  try {
    const lexical = LexicalIndex.load(indexDir) ?? LexicalIndex.empty();
    lexical.catchUp(store);
    const missing = [...paragraphIds].filter((id) => !lexical.has(id)).length;
    const orphans = lexical.size - (paragraphIds.size - missing);
    if (orphans + missing > 0) {
      findings.push({ problem: `the lexical index has ${orphans} entr(ies) of no stored paragraph and lacks ${missing} stored paragraph(s)`, fix: "--repair rebuilds it from the store", repairable: true });
    }
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    findings.push({ problem: `the lexical index is damaged: ${error.message}`, fix: "--repair rebuilds it from the store (opening the library also does)", repairable: true });
  }
  return findings;
}

/**
 * Repairs what can be repaired without losing an article: vectors are re-embedded from stored
 * text, and both indexes are dropped so that the next open rebuilds them from the store.
 */
export async function repairStore(dataDir: string, store: Store, provider: EmbeddingProvider): Promise<void> {
  await reindex(dataDir, store, provider);
  for (const name of ["vectors.json", "lexical.json"]) rmSync(path.join(dataDir, "index", name), { force: true });
}
