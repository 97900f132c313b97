/**
 * `npm run compact` after forgetting half the articles: the vectors only they used are gone and
 * their space is back on the disk, while every kept article still answers from its own vectors and
 * the doctor finds the store consistent.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CompactResult } from "../../src/maintenance/compact.ts";
import { openLibrary } from "../../src/library.ts";
import { ask, textFile } from "../support/library.ts";
import { generateArticles, runNode, token, toJsonl } from "../reliability/support.ts";

const work = mkdtempSync(path.join(tmpdir(), "nq-compact-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const count = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe("npm run compact", () => {
  it("frees the vectors of forgotten articles and keeps those still used", { timeout: 180_000 }, async () => {
    const dataDir = path.join(work, "data");
    const articles = generateArticles(60, 9, { prefix: "cp", unique: true });
    const lib = await openLibrary({ dataDir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      await lib.ingest([textFile("wire.jsonl", toJsonl(articles))]);
      for (const a of articles.slice(0, 30)) expect(await lib.forget(a.id)).toBe(true);
    } finally {
      await lib.close();
    }
    const file = path.join(dataDir, "store.db");
    const cachedBefore = count(file, "SELECT count(*) FROM embeddings");
    const used = count(file, "SELECT count(DISTINCT hash) FROM sentences");
    expect(cachedBefore).toBeGreaterThan(used);

    const doctorBefore = await runNode("src/cli/doctor.ts", ["--data-dir", dataDir]);
    expect(doctorBefore.stdout).toContain(`Note: ${cachedBefore - used} cached vector(s)`);

    const r = await runNode("src/cli/compact.ts", ["--data-dir", dataDir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as CompactResult;
    expect(result.unusedVectors).toBe(cachedBefore - used);
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
    expect(statSync(file).size).toBe(result.bytesAfter);
    // Every sentence of a kept article still has its vector; nothing unused is left.
    expect(count(file, "SELECT count(*) FROM embeddings")).toBe(used);
    expect(count(file, "SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = s.hash)")).toBe(0);

    const doctor = await runNode("src/cli/doctor.ts", ["--data-dir", dataDir]);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain("Consistent.");
    expect(doctor.stdout).not.toContain("cached vector(s)");

    const reopened = await openLibrary({ dataDir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      const kept = 45;
      const answer = await ask(reopened, `What opens part 1 of dispatch ${kept}? Marker ${token("cp", kept, 0)}`);
      expect(answer.citations[0]?.articleId).toBe(`cp-${kept}`);
    } finally {
      await reopened.close();
    }
  });
});
