/**
 * One writer per data directory: a lock that names its holder, refuses a second bot or ingest on the
 * same store, and is taken over (saying from whom) once its holder is gone.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { StoreError } from "../store/errors.ts";
import { describeStorageError } from "../store/storage-errors.ts";

/** Who holds (or last held) the writer lock of a data directory. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** What it is, for the message: "the Discord bot", "npm run ingest"... */
  purpose: string;
}

export interface WriterLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** A holder that ended without releasing (killed, crashed): taken over, named for the log. */
  readonly tookOverFrom: LockHolder | null;
  release(): void;
}

export class LockError extends StoreError {
  override name = "LockError";
  constructor(
    message: string,
    readonly holder: LockHolder | null,
  ) {
    super(message);
  }
}

export const LOCK_FILE = "writer.lock";

/**
 * One writer per data directory: the Discord bot, `npm run ingest`, `reindex`, `compact`,
 * `doctor --repair` and `restore` take this lock; readers (`npm run ask`, `doctor`, `backup`) do
 * not need it, since SQLite's WAL lets them read a consistent state while the writer commits.
 *
 * The lock is SQLite's own: the holder keeps a write transaction open (a RESERVED lock, an fcntl
 * lock underneath) on `DATA_DIR/writer.lock`, a tiny database that also records who holds it.
 * The kernel drops the lock when the holder's process ends, however it ends, so a crash or a
 * SIGKILL never leaves a stale lock behind, and a recycled pid (PID 1 in every container) cannot
 * make a dead holder look alive, which a pid check alone would. Other processes can still read
 * the holder's row (a RESERVED lock admits readers), which names it in the refusal.
 */
export function acquireWriterLock(dataDir: string, purpose: string): WriterLock {
  const file = path.join(dataDir, LOCK_FILE);
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    // A rollback journal: the lock needs no -wal and -shm files beside it.
    db.pragma("journal_mode = DELETE");
    db.pragma("busy_timeout = 2000");
    db.exec("CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, started_at TEXT NOT NULL, purpose TEXT NOT NULL, released INTEGER NOT NULL)");
  } catch (error) {
    throw describeStorageError(error, file, "take the writer lock");
  }
  const readHolder = (): (LockHolder & { released: boolean }) | null => {
    const row = db.prepare("SELECT pid, host, started_at AS startedAt, purpose, released FROM holder").get() as (LockHolder & { released: number }) | undefined;
    return row ? { pid: row.pid, host: row.host, startedAt: row.startedAt, purpose: row.purpose, released: row.released === 1 } : null;
  };
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), purpose };
  try {
    // Immediate: fails at once when another process holds the lock (no waiting for it).
    db.pragma("busy_timeout = 0");
    let previous: (LockHolder & { released: boolean }) | null;
    try {
      previous = db.transaction(() => {
        const before = readHolder();
        db.prepare("DELETE FROM holder").run();
        db.prepare("INSERT INTO holder (pid, host, started_at, purpose, released) VALUES (?, ?, ?, ?, 0)").run(me.pid, me.host, me.startedAt, me.purpose);
        return before;
      }).immediate();
      // Held from here on: the transaction stays open until release() or the process ends. Another
      // process that slips in between the commit above and this BEGIN wins instead (and says so).
      db.prepare("BEGIN IMMEDIATE").run();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      db.pragma("busy_timeout = 2000");
      const holder = readHolder();
      throw new LockError(refusal(dataDir, file, purpose, holder), holder);
    }
    const tookOverFrom = previous && !previous.released ? strip(previous) : null;
    let released = false;
    return {
      file,
      holder: me,
      tookOverFrom,
      release() {
        if (released) return;
        released = true;
        try {
          db.prepare("UPDATE holder SET released = 1").run();
          db.prepare("COMMIT").run();
        } finally {
          db.close();
        }
      },
    };
  } catch (error) {
    if (db.open) db.close();
    if (error instanceof LockError) throw error;
    throw describeStorageError(error, file, "take the writer lock");
  }
}

/** `work` under the writer lock, released however it ends. */
export async function withWriterLock<T>(dataDir: string, purpose: string, work: (lock: WriterLock) => Promise<T>): Promise<T> {
  const lock = acquireWriterLock(dataDir, purpose);
  try {
    return await work(lock);
  } finally {
    lock.release();
  }
}

function strip(h: LockHolder & { released?: boolean }): LockHolder {
  return { pid: h.pid, host: h.host, startedAt: h.startedAt, purpose: h.purpose };
}

export function describeHolder(h: LockHolder): string {
  return `${h.purpose} (pid ${h.pid} on ${h.host}, started ${h.startedAt})`;
}

function refusal(dataDir: string, file: string, purpose: string, holder: LockHolder | null): string {
  const who = holder ? describeHolder(holder) : "another process";
  const sameHost = !holder || holder.host === hostname();
  return (
    `Cannot start ${purpose}: ${who} is already writing to the store in ${dataDir} (lock: ${file}). ` +
    `Only one writer may use a store at a time. Stop ${holder ? `pid ${holder.pid}${sameHost ? "" : ` on ${holder.host}`}` : "it"} first` +
    (purpose === "the Discord bot" ? "" : ", or run this while the bot is stopped") +
    ". (Asking questions, `npm run doctor` and `npm run backup` work alongside it.)"
  );
}
