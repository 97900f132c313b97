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
  return store.maintenance.unusedVectors(store.meta("embedding_model") ?? "");
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
  const { otherModel: otherModelVectors, unused } = store.maintenance.dropUnusedVectors(model);
  return { unusedVectors: unused, otherModelVectors, bytesBefore, bytesAfter: size(), ms: Date.now() - started };
}
