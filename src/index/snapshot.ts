import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { fsyncFile } from "../common/fsync.ts";

/**
 * Crash-safe files for the derived indexes. Each save writes a new data file, fsyncs it, then
 * atomically renames a small pointer (`NAME.json`) that names the file, its checksum and the store
 * generation it reflects. A kill at any moment leaves the old pointer and old file, or the new ones.
 */

/** The derived indexes' snapshots under `DATA_DIR/index/`, by name (one pointer file each, naming its data file). */
export const SNAPSHOTS = [
  { name: "vectors", what: "vector index" },
  { name: "lexical", what: "lexical index" },
] as const;

export type SnapshotName = (typeof SNAPSHOTS)[number]["name"];

export interface SnapshotPointer {
  file: string;
  sha256: string;
  bytes: number;
  generation: number;
  /** Whatever else the index must check on load (model, dimension...). */
  info: Record<string, unknown>;
}

export class SnapshotError extends Error {
  override name = "SnapshotError";
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  fsyncFile(tmp);
  renameSync(tmp, file);
}

/**
 * `write(dataPath)` produces the data file; the pointer is switched only once it is complete.
 * Asynchronous because it runs while the bot serves: at 100k sentences writing, syncing and
 * reading back the 200 MB vector file on this thread stalled every member's /ask for 1.2 s.
 */
export async function saveSnapshot(dir: string, name: string, generation: number, info: Record<string, unknown>, write: (dataPath: string) => Promise<void>): Promise<void> {
  // Never a name in use: a second save in the same millisecond (or by another process) must not
  // rewrite, in place, the file the current pointer names.
  const file = `${name}.${generation}.${Date.now().toString(36)}${randomBytes(4).toString("hex")}.bin`;
  const dataPath = path.join(dir, file);
  await write(dataPath);
  const { sha256, bytes } = await syncAndDigest(dataPath);
  const pointer: SnapshotPointer = { file, sha256, bytes, generation, info };
  writeAtomically(path.join(dir, `${name}.json`), JSON.stringify(pointer));
  removeStale(dir, name, generation);
}

/** fsyncs the file (on libuv's threads) and hashes it a megabyte at a time, so the event loop runs between pieces. */
async function syncAndDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const piece of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      hash.update(piece as Buffer);
      bytes += (piece as Buffer).length;
    }
    return { sha256: hash.digest("hex"), bytes };
  } finally {
    await handle.close();
  }
}

/**
 * The current snapshot, verified: null when there is none; SnapshotError when the pointer or data is
 * damaged (truncated, edited, missing), so the caller can rebuild instead of crashing in native code.
 */
export function loadSnapshot(dir: string, name: string): { pointer: SnapshotPointer; dataPath: string } | null {
  const pointerPath = path.join(dir, `${name}.json`);
  if (!existsSync(pointerPath)) return null;
  let pointer: SnapshotPointer;
  try {
    pointer = JSON.parse(readFileSync(pointerPath, "utf8")) as SnapshotPointer;
    if (typeof pointer.file !== "string" || typeof pointer.sha256 !== "string" || !Number.isInteger(pointer.generation)) throw new Error("fields missing");
  } catch (error) {
    throw new SnapshotError(`${pointerPath} is unreadable (${(error as Error).message})`);
  }
  const dataPath = path.join(dir, path.basename(pointer.file));
  if (!existsSync(dataPath)) throw new SnapshotError(`${dataPath} is missing`);
  const bytes = readFileSync(dataPath);
  if (bytes.length !== pointer.bytes || sha256(bytes) !== pointer.sha256) {
    throw new SnapshotError(`${dataPath} is damaged (${bytes.length} bytes, expected ${pointer.bytes}; checksum ${sha256(bytes) === pointer.sha256 ? "ok" : "differs"})`);
  }
  return { pointer, dataPath };
}

/** Whether a snapshot has been saved under `name` (its pointer file exists). */
export function hasSnapshot(dir: string, name: string): boolean {
  return existsSync(path.join(dir, `${name}.json`));
}

/** Removes a snapshot (its pointer, data files and leftovers), so that the next open rebuilds it. */
export function dropSnapshot(dir: string, name: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f === `${name}.json` || (f.startsWith(`${name}.`) && (f.endsWith(".bin") || f.endsWith(".tmp")))) rmSync(path.join(dir, f), { force: true });
  }
}

/**
 * Leftovers of older saves, and of saves killed half-way. Only older generations go, so that a
 * second process saving the same generation at the same moment never loses its file.
 */
function removeStale(dir: string, name: string, generation: number): void {
  for (const f of readdirSync(dir)) {
    const m = new RegExp(`^${name}\\.(\\d+)\\.`).exec(f);
    if (m && Number(m[1]) < generation && (f.endsWith(".bin") || f.endsWith(".tmp"))) rmSync(path.join(dir, f), { force: true });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
