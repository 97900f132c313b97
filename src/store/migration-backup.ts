import type Database from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { SCHEMA_VERSION } from "./schema.ts";
import { describeStorageError } from "./storage-errors.ts";

/** Where the copies taken before schema upgrades go, inside the data directory. */
export const MIGRATION_BACKUPS = "backups";

/**
 * Before any schema upgrade (whatever the versions), a copy of the store as it was: an upgrade
 * that goes wrong, or a rollback to the previous program version, then has something to go back
 * to. Called before the schema is touched; a store that needs no upgrade costs one meta read.
 *
 * `VACUUM INTO` rather than the online backup API: it is synchronous (a store opens synchronously)
 * and copies one read transaction's view, so a writer elsewhere cannot make it restart or tear.
 * No copy, no upgrade: if the copy fails (a full disk, say), opening fails with that reason and
 * the store is left exactly as it was.
 */
export function backupBeforeMigration(db: Database.Database, dataDir: string, notice: (message: string) => void): string | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return null;
  const version = Number((db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined) ?? NaN);
  if (!Number.isInteger(version) || version >= SCHEMA_VERSION) return null;
  const dir = path.join(dataDir, MIGRATION_BACKUPS);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  let file = path.join(dir, `store-v${version}-before-v${SCHEMA_VERSION}-${stamp}.db`);
  for (let n = 2; existsSync(file); n++) file = path.join(dir, `store-v${version}-before-v${SCHEMA_VERSION}-${stamp}-${n}.db`);
  try {
    mkdirSync(dir, { recursive: true });
    db.prepare("VACUUM INTO ?").run(file);
  } catch (error) {
    throw describeStorageError(error, file, `copy the store before upgrading its schema from version ${version} to ${SCHEMA_VERSION} (the store was not changed)`);
  }
  notice(`The store has schema version ${version}; upgrading it to ${SCHEMA_VERSION}. A copy of it as it was: ${file} (to go back to it: npm run restore-backup -- ${file} --data-dir NEW_DIR; see the README, "Upgrades").`);
  return file;
}
