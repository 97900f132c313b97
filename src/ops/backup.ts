/**
 * Backups and restores of a data directory while the bot runs: SQLite's online backup of the store,
 * plus index snapshots brought to exactly the copied store's generation, so a restore needs no rebuild.
 */
import Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SNAPSHOTS } from "../index/snapshot.ts";
import { Indexes } from "../index/indexes.ts";
import { loadSnapshot, SnapshotError } from "../index/snapshot.ts";
import { StoreError } from "../store/errors.ts";
import { SCHEMA_VERSION } from "../store/schema.ts";
import { describeStorageError } from "../store/storage-errors.ts";
import { Store } from "../store/store.ts";
import { acquireWriterLock } from "./lock.ts";
import { fsyncFile } from "../common/fsync.ts";

/** What a backup holds, written beside it as `backup.json`. */
export interface BackupManifest {
  createdAt: string;
  source: string;
  schemaVersion: number;
  generation: number;
  articles: number;
  /** Index snapshots that match the copied store exactly, so that a restore starts without a rebuild. */
  indexes: "included" | "none";
  storeBytes: number;
  indexBytes: number;
  ms: number;
}

export const MANIFEST = "backup.json";

/**
 * Backs up a data directory into `dest` (a new folder) while the bot may keep answering and
 * ingesting: the store by SQLite's online backup API, and index snapshots brought to exactly the
 * copied store's generation, so a restore opens without rebuilding anything. A reader: it takes no
 * writer lock. Written into a temporary folder renamed into place at the end, so a half-made
 * backup never looks like a backup.
 */
export async function backupDataDir(dataDir: string, dest: string, warn: (message: string) => void = () => {}): Promise<BackupManifest> {
  const started = Date.now();
  const source = path.join(dataDir, "store.db");
  if (!existsSync(source)) throw new StoreError(`No store at ${dataDir} (no store.db): nothing to back up. Check --data-dir / DATA_DIR.`);
  if (existsSync(dest) && (!statSync(dest).isDirectory() || readdirSync(dest).length > 0)) {
    throw new StoreError(`${dest} already exists and is not an empty folder: a backup is never written over anything. Name a new folder.`);
  }
  const partial = `${dest.replace(/[/\\]+$/, "")}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    mkdirSync(path.join(partial, "index"), { recursive: true });
    // Snapshots first, then the store: an index may be older than the store copy (it catches up
    // below), never newer; a snapshot replaced while being copied is simply copied again.
    const copied = copySnapshots(path.join(dataDir, "index"), path.join(partial, "index"));
    await copyStore(source, path.join(partial, "store.db"));
    const manifest = await finishIndexes(partial, copied, warn);
    const result: BackupManifest = { createdAt: new Date().toISOString(), source: path.resolve(dataDir), ...manifest, ms: Date.now() - started };
    writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(result, null, 2)}\n`);
    for (const f of listFiles(partial)) fsyncFile(f);
    if (existsSync(dest)) rmSync(dest, { recursive: true });
    renameSync(partial, dest);
    return result;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw describeStorageError(error, path.join(dest, "store.db"), `back up ${dataDir} to ${dest}`);
  }
}

/** The current snapshot of each index, verified by its checksum; up to three tries each. */
function copySnapshots(from: string, to: string): boolean {
  let all = true;
  for (const { name } of SNAPSHOTS) {
    let done = false;
    for (let attempt = 0; attempt < 3 && !done; attempt++) {
      try {
        const snap = loadSnapshot(from, name);
        if (!snap) break;
        copyFileSync(snap.dataPath, path.join(to, path.basename(snap.dataPath)));
        writeFileSync(path.join(to, `${name}.json`), JSON.stringify(snap.pointer));
        // Verified again where it landed: a save elsewhere may have replaced it mid-copy.
        if (loadSnapshot(to, name)) done = true;
      } catch (error) {
        if (!(error instanceof SnapshotError) && (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    all &&= done;
  }
  return all;
}

/**
 * One step that copies every page: SQLite restarts an online backup whenever another connection
 * writes between its steps, which a busy ingest would do every chunk. A single step reads one
 * consistent state; in WAL mode the writer goes on meanwhile.
 */
async function copyStore(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
}

/**
 * Opens the copied store with the copied snapshots: they catch up to the copy's generation (or,
 * if they cannot, are rebuilt from its vectors, no model needed) and are saved beside it.
 */
async function finishIndexes(dir: string, copiedSnapshots: boolean, warn: (message: string) => void): Promise<Omit<BackupManifest, "createdAt" | "source" | "ms">> {
  const facts = storeFacts(path.join(dir, "store.db"));
  let indexes: BackupManifest["indexes"] = copiedSnapshots ? "included" : "none";
  if (facts.schemaVersion !== SCHEMA_VERSION) {
    // Another program version's store: copied as it is, for that version to open (and index).
    warn(`The store has schema version ${facts.schemaVersion} (this program reads ${SCHEMA_VERSION}); backed up as it is, with the index snapshots as they were.`);
  } else {
    const store = Store.open(dir);
    try {
      const model = store.meta("embedding_model");
      const dimension = Number(store.meta("embedding_dimension"));
      if (model && dimension > 0) {
        await Indexes.open(dir, store, model, dimension, (m) => warn(`In the backup: ${m}`));
        indexes = "included";
      }
    } finally {
      // Closing checkpoints the WAL into store.db: the backup is one file plus index/.
      store.close();
    }
  }
  const indexBytes = listFiles(path.join(dir, "index")).reduce((n, f) => n + statSync(f).size, 0);
  return { ...facts, indexes, storeBytes: statSync(path.join(dir, "store.db")).size, indexBytes };
}

/** Read without opening it as a Store, which would upgrade an older store's schema. */
function storeFacts(file: string): { schemaVersion: number; generation: number; articles: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const meta = (key: string) => Number(db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(key) ?? 0);
    return { schemaVersion: meta("schema_version"), generation: meta("generation"), articles: db.prepare("SELECT count(*) FROM articles").pluck().get() as number };
  } finally {
    db.close();
  }
}

/**
 * Restores a backup (a folder made by backupDataDir, or a single store file such as the copy
 * taken before a schema upgrade) into `dataDir`, which must not hold a store: restoring over one
 * would mix two stores (its journal would be applied to the restored file). Under the writer
 * lock, file by file into place, the store last; then SQLite checks the restored file.
 */
export function restoreDataDir(backup: string, dataDir: string): { schemaVersion: number; articles: number; generation: number; indexes: boolean } {
  if (!existsSync(backup)) throw new StoreError(`No backup at ${backup}.`);
  const isDir = statSync(backup).isDirectory();
  const storeFile = isDir ? path.join(backup, "store.db") : backup;
  if (!existsSync(storeFile)) throw new StoreError(`${backup} is not a backup: it has no store.db.`);
  if (existsSync(path.join(dataDir, "store.db"))) {
    throw new StoreError(
      `${dataDir} already holds a store. Restore into a new directory and point DATA_DIR (or --data-dir) at it, keeping this one until the restored store checks out; ` +
        "restoring over a store would mix the two.",
    );
  }
  const lock = acquireWriterLock(dataDir, "npm run restore-backup");
  try {
    const indexFrom = path.join(backup, "index");
    const withIndexes = isDir && existsSync(indexFrom);
    if (withIndexes) {
      mkdirSync(path.join(dataDir, "index"), { recursive: true });
      for (const f of readdirSync(indexFrom)) copyFileSync(path.join(indexFrom, f), path.join(dataDir, "index", f));
    }
    const target = path.join(dataDir, "store.db");
    copyFileSync(storeFile, `${target}.partial`);
    fsyncFile(`${target}.partial`);
    const check = new Database(`${target}.partial`, { fileMustExist: true });
    try {
      const integrity = check.pragma("quick_check", { simple: true });
      if (integrity !== "ok") throw new StoreError(`The backup's store is damaged (${String(integrity)}); nothing was restored. Use an older backup.`);
    } finally {
      check.close();
    }
    renameSync(`${target}.partial`, target);
    return { ...storeFacts(target), indexes: withIndexes };
  } catch (error) {
    rmSync(path.join(dataDir, "store.db.partial"), { force: true });
    throw describeStorageError(error, path.join(dataDir, "store.db"), `restore ${backup} into ${dataDir}`);
  } finally {
    lock.release();
  }
}

/** The files of a backup folder: store.db, backup.json and index/ (one level deep). */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
