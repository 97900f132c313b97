import type { EmbeddingProvider } from "../index/embeddings.ts";
import { dropSnapshots } from "../index/indexes.ts";
import type { IngestProgress } from "../ingest/types.ts";
import type { Store } from "../store/store.ts";

const BATCH = 512;

/**
 * Re-embeds every stored sentence with `provider` (the cache is used, so switching back and forth
 * between models is cheap), records the new model, and drops the vector index so the next open
 * rebuilds it from the new vectors. The articles themselves are untouched.
 */
export async function reindex(dataDir: string, store: Store, provider: EmbeddingProvider, onProgress?: (p: IngestProgress) => void): Promise<{ sentences: number; embedded: number }> {
  const started = Date.now();
  const rows = store.maintenance.sentenceTexts();
  let done = 0;
  let embedded = 0;
  let words = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const cached = store.cachedVectors(provider.id, batch.map((r) => r.hash));
    const missing = batch.filter((r) => !cached.has(r.hash));
    const vectors = await provider.embeddings.embedDocuments(missing.map((r) => r.text));
    store.cacheVectors(provider.id, missing.map((r, j) => [r.hash, vectors[j]!] as [string, number[]]));
    embedded += missing.length;
    done += batch.length;
    words += batch.reduce((n, r) => n + r.text.split(/\s+/).length, 0);
    onProgress?.({ done, total: rows.length, words, elapsedMs: Date.now() - started });
  }
  const dimension = await provider.dimension();
  store.recordModel(provider.id, dimension);
  dropSnapshots(dataDir, ["vectors"]);
  return { sentences: rows.length, embedded };
}
