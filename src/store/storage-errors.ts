import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import path from "node:path";
import { StoreError } from "./errors.ts";

/**
 * What a failed write to the data directory means, in words a person running the bot can act on.
 * A read-only or full disk is not a damaged store: the advice is to give it write access or room,
 * never to move the store away (which would start an empty one and hide every article).
 */
export function describeStorageError(error: unknown, file: string, action: string): StoreError {
  return storageFailure(error, file, action) ?? new StoreError(`Cannot ${action} (${file}): ${(error as Error).message ?? String(error)}.`);
}

/** The same for a read-only, full or damaged disk; null for any other error (a bug, say). */
export function storageFailure(error: unknown, file: string, action: string): StoreError | null {
  if (error instanceof StoreError) return error;
  const code = String((error as { code?: unknown }).code ?? "");
  const message = (error as Error).message ?? String(error);
  const dir = path.dirname(file);
  const kind = classify(code, message, dir);
  if (kind === "read-only") {
    const fs = mountedReadOnly(dir) ? "the file system is mounted read-only" : `this user (uid ${process.getuid?.() ?? "?"}) may not write there`;
    return new StoreError(
      `Cannot ${action}: ${dir} is not writable (${fs}; ${message}). The store writes store.db, its journal files (store.db-wal, store.db-shm), ` +
        `writer.lock and index/ there. Give the user running the bot write access to ${dir} (chown it, or mount the volume read-write); nothing in it was changed.`,
    );
  }
  if (kind === "full") {
    return new StoreError(
      `Cannot ${action}: the disk holding ${dir} is full (${freeSpace(dir)}; ${message}). Free space on it or give the volume more room, then start again. ` +
        "Nothing stored was lost: a write that did not fit was rolled back whole.",
    );
  }
  if (kind === "damaged") {
    return new StoreError(
      `Cannot ${action}: ${file} is damaged or is not a store (${message}). Restore the data directory from a backup (\`npm run restore-backup\`, see the README); ` +
        "`npm run doctor` says more.",
    );
  }
  return null;
}

function classify(code: string, message: string, dir: string): "read-only" | "full" | "damaged" | "other" {
  if (["ENOSPC", "EDQUOT", "SQLITE_FULL"].includes(code) || /database or disk is full/i.test(message)) return "full";
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) return "damaged";
  if (["EROFS", "EACCES", "EPERM"].includes(code) || code.startsWith("SQLITE_READONLY")) return "read-only";
  // SQLite says "unable to open database file" or "disk I/O error" (its -shm or -wal file could
  // not be made or grown) for what the file system refused: ask the file system why.
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_IOERR")) {
    if (!writable(dir)) return "read-only";
    if (almostFull(dir)) return "full";
  }
  return "other";
}

function writable(dir: string): boolean {
  try {
    accessSync(existsSync(dir) ? dir : path.dirname(dir), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Under 1 MiB left: less than SQLite needs to grow a journal by a few pages. */
function almostFull(dir: string): boolean {
  try {
    const s = statfsSync(existsSync(dir) ? dir : path.dirname(dir));
    return s.bavail * s.bsize < 2 ** 20;
  } catch {
    return false;
  }
}

function mountedReadOnly(dir: string): boolean {
  try {
    accessSync(existsSync(dir) ? dir : path.dirname(dir), constants.W_OK);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EROFS";
  }
}

function freeSpace(dir: string): string {
  try {
    const s = statfsSync(existsSync(dir) ? dir : path.dirname(dir));
    const free = s.bavail * s.bsize;
    return `${free < 2 ** 20 ? `${Math.round(free / 1024)} KB` : `${Math.round(free / 2 ** 20)} MB`} free of ${Math.round((s.blocks * s.bsize) / 2 ** 20)} MB`;
  } catch {
    return "free space unknown";
  }
}
