import hnsw from "hnswlib-node";
import type { Store } from "../store/store.ts";
import { loadSnapshot, saveSnapshot, SnapshotError, type SnapshotName } from "./snapshot.ts";

const NAME: SnapshotName = "vectors";
// Build speed matters more than the last fraction of recall: fusion with BM25 re-scores candidates.
const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 128;

export interface VectorHit {
  label: number;
  /** Cosine similarity, -1..1 (hnswlib reports distance = 1 - similarity). */
  similarity: number;
}

/** Sentence vectors in hnswlib, labelled by the store's sentence ids. Derived from the store. */
export class VectorIndex {
  private constructor(
    private index: hnsw.HierarchicalNSW,
    readonly model: string,
    readonly dimension: number,
    public generation: number,
    /** hnswlib keeps marked-deleted labels in its id list; this says which those are. */
    private readonly deleted: Set<number>,
  ) {}

  static empty(model: string, dimension: number): VectorIndex {
    const index = new hnsw.HierarchicalNSW("cosine", dimension);
    index.initIndex(1024, M, EF_CONSTRUCTION, 100);
    index.setEf(EF_SEARCH);
    return new VectorIndex(index, model, dimension, 0, new Set());
  }

  /** The saved index, or null when none was saved. Throws SnapshotError when it is damaged. */
  static load(dir: string, model: string, dimension: number): VectorIndex | null {
    const snap = loadSnapshot(dir, NAME);
    if (!snap) return null;
    const { info, generation } = snap.pointer;
    if (info.model !== model || info.dimension !== dimension) {
      throw new SnapshotError(`the vector index was built by ${String(info.model)} (${String(info.dimension)}-d), not ${model}`);
    }
    const index = new hnsw.HierarchicalNSW("cosine", dimension);
    try {
      index.readIndexSync(snap.dataPath, true);
    } catch (error) {
      // A file that passed the checksum but is not an index (edited pointer, foreign file).
      throw new SnapshotError(`${snap.dataPath} is not a readable vector index (${(error as Error).message})`);
    }
    index.setEf(EF_SEARCH);
    const deleted = Array.isArray(info.deleted) ? (info.deleted as number[]) : [];
    return new VectorIndex(index, model, dimension, generation, new Set(deleted));
  }

  get size(): number {
    return this.index.getCurrentCount() - this.deleted.size;
  }

  /** Applies everything the store committed after this index's generation. */
  catchUp(store: Store): { added: number; removed: number } {
    let removed = 0;
    for (const label of store.tombstonesSince("s", this.generation)) {
      try {
        this.index.markDelete(label);
        this.deleted.add(label);
        removed++;
      } catch {
        // Added and removed after the last save: it never reached this index.
      }
    }
    let added = 0;
    for (const batch of store.sentenceVectorsSince(this.model, this.generation)) {
      this.reserve(batch.length);
      for (const { id, vector } of batch) this.index.addPoint(Array.from(vector), id);
      added += batch.length;
    }
    this.generation = store.generation();
    return { added, removed };
  }

  private reserve(extra: number): void {
    const needed = this.index.getCurrentCount() + extra;
    const max = this.index.getMaxElements();
    if (needed > max) this.index.resizeIndex(Math.max(needed, Math.ceil(max * 1.5)));
  }

  search(vector: number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.index.searchKnn(vector, n);
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
  }

  /** Labels held and not deleted, for consistency checks. */
  labels(): number[] {
    return this.index.getIdsList().filter((l) => !this.deleted.has(l));
  }

  /** hnswlib writes on a libuv thread: the caller must not change this index until it resolves (Indexes sees to it). */
  async save(dir: string): Promise<void> {
    const info = { model: this.model, dimension: this.dimension, deleted: [...this.deleted] };
    await saveSnapshot(dir, NAME, this.generation, info, async (p) => {
      await this.index.writeIndex(p);
    });
  }
}
