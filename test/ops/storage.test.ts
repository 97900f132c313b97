/**
 * A data directory on a read-only or full disk: the store, the writer lock and the bot's start-up
 * say what is wrong and what to do (give write access, free space), never to move the store away.
 * And before any schema upgrade the store is copied, or not upgraded at all.
 *
 * Real file systems where the test may mount them (a small tmpfs, remounted read-only); where it
 * may not (not root), a directory without write permission and a simulated SQLITE_FULL.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireWriterLock } from "../../src/ops/lock.ts";
import { MIGRATION_BACKUPS } from "../../src/store/migration-backup.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { describeStorageError } from "../../src/store/storage-errors.ts";
import { Store, StoreError } from "../../src/store/store.ts";

const work = mkdtempSync(path.join(tmpdir(), "nq-storage-"));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync("umount", [m]);
  rmSync(work, { recursive: true, force: true });
});

/** A fresh tmpfs of `kb` KiB at a new directory, or null where this process may not mount. */
function tmpfs(name: string, kb: number): string | null {
  const dir = path.join(work, name);
  mkdirSync(dir);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${kb}k`, "tmpfs", dir]);
  if (r.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

/** Fills the file system of `dir` until `leaveBytes` remain. */
function fill(dir: string, leaveBytes: number): void {
  const s = statfsSync(dir);
  writeFileSync(path.join(dir, "filler"), Buffer.alloc(Math.max(0, s.bavail * s.bsize - leaveBytes)));
}

function storeWithRows(dir: string, rows: number): void {
  const store = Store.open(dir);
  for (let i = 0; i < rows; i++) store.setMeta(`padding-${i}`, `row ${i} `.repeat(200));
  store.close();
}

function expectNoAdviceToMove(message: string): void {
  expect(message).not.toMatch(/move (the file|it|the store|.*) away|start a new store/i);
}

describe("a read-only data directory", () => {
  it("is named as such, with what to change, by the store and the writer lock", () => {
    let dir = tmpfs("ro", 4096);
    if (dir) {
      storeWithRows(dir, 1);
      expect(spawnSync("mount", ["-o", "remount,ro", dir]).status).toBe(0);
    } else {
      dir = path.join(work, "ro");
      storeWithRows(dir, 1);
      chmodSync(dir, 0o555);
    }
    const opened = (() => {
      try {
        Store.open(dir).close();
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    expect(opened).toBeInstanceOf(StoreError);
    expect(opened!.message).toContain(`Cannot open the store: ${dir} is not writable (${mounts.includes(dir) ? "the file system is mounted read-only" : "this user"}`);
    expect(opened!.message).toContain(`Give the user running the bot write access to ${dir}`);
    expectNoAdviceToMove(opened!.message);
    expect(() => acquireWriterLock(dir, "the Discord bot")).toThrow(new RegExp(`Cannot take the writer lock: ${dir} is not writable`));
  });
});

describe("a full disk", () => {
  it("is named as such, with the free space, when the store cannot grow its journal", () => {
    const dir = tmpfs("full", 2048);
    let message: string;
    if (dir) {
      storeWithRows(path.join(dir, "data"), 1);
      fill(dir, 0);
      try {
        Store.open(path.join(dir, "data")).close();
        throw new Error("opened a store on a full disk");
      } catch (error) {
        expect(error).toBeInstanceOf(StoreError);
        message = (error as Error).message;
      }
    } else {
      const simulated = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      message = describeStorageError(simulated, path.join(work, "store.db"), "open the store").message;
    }
    expect(message).toMatch(/^Cannot open the store: the disk holding .* is full \(\d+ KB free of \d+ MB; /);
    expect(message).toContain("Free space on it or give the volume more room");
    expectNoAdviceToMove(message);
  });
});

describe("a schema upgrade", () => {
  /** A store as an older version left it: the current schema with an older recorded version. */
  function olderStore(dir: string, rows: number): void {
    storeWithRows(dir, rows);
    const db = new Database(path.join(dir, "store.db"));
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    db.close();
  }
  const versionOf = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return { version: db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), rows: db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'padding-%'").pluck().get() };
    } finally {
      db.close();
    }
  };

  it("copies the store as it was into backups/ first, and says where", () => {
    const dir = path.join(work, "upgrade");
    olderStore(dir, 25);
    const notices: string[] = [];
    Store.open(dir, { notice: (m) => notices.push(m) }).close();
    const copies = readdirSync(path.join(dir, MIGRATION_BACKUPS));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(new RegExp(`^store-v1-before-v${SCHEMA_VERSION}-.*\\.db$`));
    const copy = path.join(dir, MIGRATION_BACKUPS, copies[0]!);
    expect(versionOf(copy)).toEqual({ version: "1", rows: 25 });
    expect(versionOf(path.join(dir, "store.db"))).toEqual({ version: String(SCHEMA_VERSION), rows: 25 });
    expect(notices).toEqual([expect.stringContaining(`upgrading it to ${SCHEMA_VERSION}. A copy of it as it was: ${copy}`)]);
    // Opening an up-to-date store copies nothing more.
    Store.open(dir, { notice: (m) => notices.push(m) }).close();
    expect(readdirSync(path.join(dir, MIGRATION_BACKUPS))).toHaveLength(1);
  });

  it("does not upgrade a store it cannot copy (a full disk): the store stays as it was", () => {
    const mount = tmpfs("upgrade-full", 16384);
    let dir: string;
    if (mount) {
      dir = path.join(mount, "data");
      olderStore(dir, 300);
      // Room for SQLite's journal files (shm 32 KiB), not for a copy of the ~500 KB store.
      fill(mount, 160 * 1024);
    } else {
      dir = path.join(work, "upgrade-readonly");
      olderStore(dir, 300);
      // Without a mount: a backups/ folder that cannot be written makes the copy fail the same way.
      mkdirSync(path.join(dir, MIGRATION_BACKUPS));
      chmodSync(path.join(dir, MIGRATION_BACKUPS), 0o555);
    }
    expect(() => Store.open(dir)).toThrow(/^Cannot copy the store before upgrading its schema from version 1 to \d+ \(the store was not changed\)/);
    expect(versionOf(path.join(dir, "store.db"))).toEqual({ version: "1", rows: 300 });
  });
});
