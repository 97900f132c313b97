import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Store } from "../store/store.ts";
import { LexicalIndex } from "./lexical-index.ts";
import { dropSnapshot, hasSnapshot, SNAPSHOTS, SnapshotError, type SnapshotName } from "./snapshot.ts";
import { VectorIndex } from "./vector-index.ts";

/** Said to whoever opened the library: a moderator should know when an index was rebuilt. */
export type Warn = (message: string) => void;

export const indexDir = (dataDir: string) => path.join(dataDir, "index");

/** Drops saved snapshots, so that the next open rebuilds those indexes from the store. */
export function dropSnapshots(dataDir: string, names: readonly SnapshotName[] = SNAPSHOTS.map((s) => s.name)): void {
  for (const name of names) dropSnapshot(indexDir(dataDir), name);
}

/** What the indexes that have no saved snapshot are called ("vector index", ...). */
export function unsavedSnapshots(dataDir: string): string[] {
  return SNAPSHOTS.filter(({ name }) => !hasSnapshot(indexDir(dataDir), name)).map(({ what }) => what);
}

/**
 * The two derived indexes, kept in step with the store. Opening loads the saved snapshots and
 * applies what the store committed since (after a crash, or another process's ingest); a damaged
 * snapshot is rebuilt from the store's text and vectors, never read.
 */
export class Indexes {
  /** The save being written: the indexes hold still until it ends (hnswlib reads its memory from another thread). */
  private saving: Promise<void> | null = null;

  private constructor(
    readonly dir: string,
    private readonly model: string,
    private readonly dimension: number,
    public vectors: VectorIndex,
    public lexical: LexicalIndex,
    private readonly warn: Warn,
  ) {}

  static async open(dataDir: string, store: Store, model: string, dimension: number, warn: Warn): Promise<Indexes> {
    const dir = path.join(dataDir, "index");
    mkdirSync(dir, { recursive: true });
    const indexes = new Indexes(dir, model, dimension, VectorIndex.empty(model, dimension), LexicalIndex.empty(), warn);
    indexes.reload(store);
    // Saved at once so that the next start does not redo the catch-up (after a crash, say).
    if (indexes.refresh(store)) await indexes.save(store);
    return indexes;
  }

  private reload(store: Store): void {
    this.vectors = loadOrEmpty("vector", store, () => VectorIndex.load(this.dir, this.model, this.dimension), () => VectorIndex.empty(this.model, this.dimension), this.warn);
    this.lexical = loadOrEmpty("lexical", store, () => LexicalIndex.load(this.dir), () => LexicalIndex.empty(), this.warn);
  }

  /**
   * Catches up with the store when it moved on (this process's ingest, or another's); true when
   * anything changed. A reader that fell behind the pruned tombstones reloads the saved snapshots,
   * which are at least that new, so it never keeps entries the store no longer has. While a save
   * is being written it changes nothing: answers meanwhile use the indexes as saved (hits on
   * paragraphs deleted since are dropped against the store), and save() catches up first.
   */
  refresh(store: Store): boolean {
    if (this.saving) return false;
    const generation = store.generation();
    if (generation === this.vectors.generation && generation === this.lexical.generation) return false;
    // One read transaction: every read of the catch-up sees the same commit, even while another
    // process writes. Without it a commit landing between the row reads and the generation read
    // would be marked as applied without its rows ever being added.
    store.consistentRead(() => {
      if (Math.min(this.vectors.generation, this.lexical.generation) < store.prunedThrough()) this.reload(store);
      this.vectors.catchUp(store);
      this.lexical.catchUp(store);
    });
    return true;
  }

  /** Brings the indexes up to date and saves them; one save at a time. */
  async save(store: Store): Promise<void> {
    while (this.saving) await this.idle();
    this.refresh(store);
    const run = (async () => {
      await this.vectors.save(this.dir);
      await this.lexical.save(this.dir);
    })();
    this.saving = run;
    try {
      await run;
    } finally {
      this.saving = null;
    }
    store.pruneTombstones(Math.min(this.vectors.generation, this.lexical.generation));
  }

  /** Resolves once no save is being written (whether it succeeded or not). */
  async idle(): Promise<void> {
    await this.saving?.catch(() => {});
  }
}

function loadOrEmpty<T extends { generation: number }>(what: string, store: Store, load: () => T | null, empty: () => T, warn: Warn): T {
  let loaded: T | null;
  try {
    loaded = load();
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    warn(`The ${what} index could not be used (${error.message}); rebuilding it from the store. Nothing is lost: the store keeps every article and vector.`);
    return empty();
  }
  if (!loaded) return empty();
  const problem = staleSnapshot(loaded.generation, store);
  if (problem) {
    warn(`The saved ${what} index ${problem}; rebuilding it from the store. Nothing is lost: the store keeps every article and vector.`);
    return empty();
  }
  return loaded;
}

/**
 * Why a saved index cannot be caught up from the store, or null. Catch-up needs the tombstones
 * after the snapshot's generation (gone once pruned), and a snapshot newer than the store means
 * the store was replaced (restored from a backup, say): its generations no longer line up.
 */
export function staleSnapshot(snapshotGeneration: number, store: Store): string | null {
  if (snapshotGeneration > store.generation()) {
    return `is newer than the store (generation ${snapshotGeneration} > ${store.generation()}; was store.db replaced?)`;
  }
  if (snapshotGeneration < store.prunedThrough()) {
    return `is older than the store's kept history (generation ${snapshotGeneration}; deletions up to ${store.prunedThrough()} were pruned), so it may still hold deleted entries`;
  }
  return null;
}
