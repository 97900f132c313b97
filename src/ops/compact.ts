import { existsSync, statSync } from "node:fs";
import type { Store } from "../store/store.ts";

export interface CompactResult {
  /** Cached vectors of the store's model whose sentence no stored article has any more. */
  unusedVectors: number;
  /** Cached vectors of other embedding models (from before a `reindex`). */
  otherModelVectors: number;
  bytesBefore: number;
  bytesAfter: number;
  ms: number;
}

/** Cached vectors no article uses, without changing anything: for `npm run doctor`'s note. */
export function unusedVectors(store: Store): { count: number; bytes: number } {
  const model = store.meta("embedding_model") ?? "";
  const row = store.db
    .prepare("SELECT count(*) AS count, coalesce(sum(length(vector)), 0) AS bytes FROM embeddings WHERE model != ? OR hash NOT IN (SELECT hash FROM sentences)")
    .get(model) as { count: number; bytes: number };
  return row;
}

/**
 * Drops the cached vectors no stored article uses, then rewrites the file (VACUUM) so that the
 * space goes back to the disk. The cache outlives articles on purpose (re-adding forgotten or
 * unchanged text costs no model time); this gives that up for the space. Needs the writer lock:
 * VACUUM rewrites the whole file, and needs free space about the size of the store while it runs.
 */
export function compactStore(store: Store, file: string): CompactResult {
  const started = Date.now();
  const size = () => [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
  const bytesBefore = size();
  const model = store.meta("embedding_model") ?? "";
  const { otherModelVectors, unused } = store.db.transaction(() => {
    const other = store.db.prepare("DELETE FROM embeddings WHERE model != ?").run(model).changes;
    // NOT IN: SQLite builds the set of used hashes once (sentences has no index on hash).
    const dropped = store.db.prepare("DELETE FROM embeddings WHERE hash NOT IN (SELECT hash FROM sentences)").run().changes;
    return { otherModelVectors: other, unused: dropped };
  })();
  store.db.exec("VACUUM");
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  return { unusedVectors: unused, otherModelVectors, bytesBefore, bytesAfter: size(), ms: Date.now() - started };
}
