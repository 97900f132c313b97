/**
 * Backups with the bot running: `npm run backup` taken while a moderator's /ingest is being
 * written (the bot in this process, the backup in a child, as an operator would run it), restored
 * elsewhere with `npm run restore-backup`; `npm run doctor` finds the restored store consistent, it opens
 * without rebuilding an index, every article in it is whole, and the article ingested last before
 * the backup answers.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackupManifest } from "../../src/ops/backup.ts";
import { openLibrary } from "../../src/library.ts";
import type { Library } from "../../src/library-types.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { startTestBot } from "../support/bot.ts";
import { ask } from "../support/library.ts";
import { committedArticles, expectWholeOrAbsent, generateArticles, runNode, toJsonl } from "../reliability/support.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const LATEST_MD = `---
title: Lighthouse keeper retires after forty years
outlet: Coast Gazette
published: 2025-03-02
---

Marguerite Olsen switched off the Skerry Point lamp for the last time on Sunday, after forty years as its keeper.

She said the hardest winter was 1987, when the supply boat could not land for eleven weeks.
`;

let work: string;
let dataDir: string;
let fake: FakeDiscord;
let lib: Library;
let stopBot: () => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "nq-backup-"));
  dataDir = path.join(work, "live");
  const seeded = await runNode("src/cli/ingest.ts", ["--data-dir", dataDir, SEED]);
  expect(seeded.code, seeded.stderr).toBe(0);
  fake = await startFakeDiscord({ waitTimeoutMs: 60_000 });
  // One embedding worker, as in production: the bot's event loop stays free while it ingests.
  lib = await openLibrary({ dataDir, env: { EMBED_WORKERS: "1" }, warn: () => {} });
  const { bot } = await startTestBot(fake, lib);
  stopBot = () => bot.stop();
});
afterAll(async () => {
  await stopBot?.();
  await lib?.close();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("npm run backup and npm run restore-backup", () => {
  it("back up the store while the bot ingests; the restored copy is consistent, needs no rebuild, and answers the latest article", { timeout: 240_000 }, async () => {
    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    // The latest article, ingested by a moderator just before the backup.
    const first = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "lighthouse.md", data: LATEST_MD, contentType: "text/markdown" } } });
    await first.waitForEdit();
    const latest = lib.articles().find((a) => a.title.startsWith("Lighthouse keeper"))!;
    expect(latest).toBeDefined();

    // A long ingest (a unique sentence per paragraph to embed) that the backup runs in the middle of.
    const batch = generateArticles(300, 11, { prefix: "bk", unique: true });
    const before = committedArticles(dataDir);
    const long = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "wire.jsonl", data: toJsonl(batch), contentType: "application/x-ndjson" } } });
    while (committedArticles(dataDir) <= before) await new Promise((r) => setTimeout(r, 20));

    const dest = path.join(work, "backup-1");
    const backup = await runNode("src/cli/backup.ts", ["--data-dir", dataDir, "--json", dest]);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = JSON.parse(backup.stdout) as BackupManifest;
    // The live snapshots were copied and caught up to the copy, not rebuilt.
    expect(backup.stderr).not.toMatch(/rebuild/);
    await long.waitForEdit();
    const total = lib.articles().length;
    // Taken in the middle of the ingest: more than before it, fewer than after.
    expect(manifest.articles).toBeGreaterThan(before);
    expect(manifest.articles).toBeLessThan(total);
    expect(manifest).toMatchObject({ indexes: "included", schemaVersion: expect.any(Number) });
    expect(existsSync(`${dest}.partial-${process.pid}`)).toBe(false);

    const restored = path.join(work, "restored");
    const r = await runNode("src/cli/restore-backup.ts", ["--data-dir", restored, dest]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Restored ${manifest.articles} article(s) (generation ${manifest.generation}) into ${restored} with its index snapshots.`);

    const doctor = await runNode("src/cli/doctor.ts", ["--data-dir", restored]);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain("Consistent.");
    expect(doctor.stdout).not.toContain("not been saved");

    // Every article of the batch in the copy is whole or absent; the indexes open with no rebuild.
    await expectWholeOrAbsent(restored, batch, { others: 2 });
    const warnings: string[] = [];
    const copy = await openLibrary({ dataDir: restored, env: { EMBED_WORKERS: "0" }, warn: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([]);
      const answer = await ask(copy, "Who kept the Skerry Point lamp for forty years?");
      // Quoted (answered or closest tier) from the article ingested while the backup ran.
      expect(answer.status).not.toBe("not_found");
      expect(answer.citations[0]?.articleId).toBe(latest.id);
      expect(answer.quotes.map((q) => q.text).join(" ")).toContain("Marguerite Olsen switched off the Skerry Point lamp");
    } finally {
      await copy.close();
    }
  });

  it("never write over anything: a backup wants a new folder, a restore a data dir without a store", async () => {
    const used = path.join(work, "used");
    mkdirSync(used);
    writeFileSync(path.join(used, "notes.txt"), "keep me");
    const backup = await runNode("src/cli/backup.ts", ["--data-dir", dataDir, used]);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain(`${used} already exists and is not an empty folder`);
    expect(readFileSync(path.join(used, "notes.txt"), "utf8")).toBe("keep me");

    const dest = path.join(work, "backup-2");
    expect((await runNode("src/cli/backup.ts", ["--data-dir", dataDir, dest])).code).toBe(0);
    const restore = await runNode("src/cli/restore-backup.ts", ["--data-dir", dataDir, dest]);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain(`${dataDir} already holds a store. Restore into a new directory`);
  });
});
