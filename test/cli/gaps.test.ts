import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibrary } from "../../src/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const TSX = path.resolve("node_modules/.bin/tsx");

/** `npm run gaps -- ARGS` as a person runs it, on the test's store. */
const gaps = (...args: string[]) => spawnSync(TSX, ["src/cli/gaps.ts", ...args], { encoding: "utf8", env: { ...process.env, EMBED_WORKERS: "0" } });

describe("npm run gaps", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "nq-gaps-"));
    const lib = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
      for (const q of ["What's the weather like in Lisbon?", "lisbon weather tomorrow??", "What did Peskov say about publicity?"]) {
        lib.recordAnswer(await lib.answer(q), { face: "cli" });
      }
    } finally {
      await lib.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the report as JSON other tools read, and as a list for people", () => {
    const json = gaps("--data-dir", dir, "--json", "--days", "3");
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ days: 3, unanswered: 2, gaps: [{ terms: ["lisbon", "weather"], count: 2, declined: 2, notHelpful: 0, example: "lisbon weather tomorrow??" }] });
    expect(Date.parse(report.since)).toBeLessThan(Date.now() - 3 * 86_400_000 + 60_000);

    const text = gaps("--data-dir", dir);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Last 7 days \(since \d{4}-\d\d-\d\d\): 2 unanswered/);
    expect(text.stdout).toMatch(/\n 1\. lisbon, weather: 2 \(2 declined, 0 not helpful\), last asked \d{4}-\d\d-\d\d \d\d:\d\d\n {4}e\.g\. “lisbon weather tomorrow\?\?”\n$/);
  });

  it("refuses days out of range with the reason, and explains itself with --help", () => {
    const bad = gaps("--data-dir", dir, "--days", "0");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("--days <n>' argument '0' is invalid. must be a whole number from 1 to 365, not \"0\".");
    const help = gaps("--help");
    expect(help.status).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toContain("grouped into topics by the key terms they share, most asked first");
  });
});
