/**
 * Crash safety: a real `npm run ingest` child process is killed with SIGKILL at seeded random
 * moments; after every kill each article is whole or absent (rows, sentences, vectors, both
 * indexes), there is no orphan vector, the doctor finds the store consistent, and re-running the
 * same ingest completes it. Then a process saving the index snapshots in a loop is killed mid-save:
 * what it leaves is always loadable without a rebuild.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync, type FSWatcher } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibrary } from "../../src/library.ts";
import { committedArticles, expectWholeOrAbsent, generateArticles, mulberry32, runNode, startNode, toJsonl } from "./support.ts";

const ARTICLES = 240;

/** Snapshot files that no pointer names and that are not older than it: a save was cut short. */
function leftovers(dataDir: string): number {
  const dir = path.join(dataDir, "index");
  let n = 0;
  for (const name of ["vectors", "lexical"]) {
    const pointer = JSON.parse(readFileSync(path.join(dir, `${name}.json`), "utf8")) as { file: string; generation: number };
    for (const f of readdirSync(dir)) {
      const m = new RegExp(`^${name}\\.(\\d+)\\.`).exec(f);
      if (m && f !== pointer.file && Number(m[1]) >= pointer.generation) n++;
    }
  }
  return n;
}
const KILLS = 3;
const INGEST = "src/cli/ingest.ts";

describe("an ingest killed at random moments", () => {
  const articles = generateArticles(ARTICLES, 7);
  let work: string;
  let dataDir: string;
  let jsonl: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "nq-crash-"));
    dataDir = path.join(work, "data");
    jsonl = path.join(work, "dispatches.jsonl");
    writeFileSync(jsonl, toJsonl(articles));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("leaves every article whole or absent, and a re-run completes the ingest", { timeout: 180_000 }, async () => {
    const rand = mulberry32(20251204);
    const history: { present: number; killedAt: string }[] = [];
    let before = new Set<string>();
    for (let run = 0; run < KILLS; run++) {
      const { child, done } = startNode(INGEST, ["--data-dir", dataDir, jsonl]);
      const started = Date.now();
      // Run 0 dies early: at a random time in its first seconds (start-up, model load, planning)
      // or at its first commit, whichever comes first. Later runs die once a random share of what
      // is left has been committed, plus a random few ms (mid-chunk, mid-write, mid-save...).
      const target = run === 0 ? before.size + 1 : before.size + Math.max(1, Math.floor((0.15 + 0.6 * rand()) * (ARTICLES - before.size)));
      const earlyMs = 200 + rand() * 2500;
      const jitterMs = rand() * 120;
      let killedAt = "";
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          const elapsed = Date.now() - started;
          const reached = (run === 0 && elapsed >= earlyMs) || committedArticles(dataDir) >= target;
          if (!reached && child.exitCode === null) return;
          clearInterval(poll);
          setTimeout(() => {
            killedAt = `${Date.now() - started} ms`;
            child.kill("SIGKILL");
            resolve();
          }, run === 0 ? 0 : jitterMs);
        }, 15);
      });
      const result = await done;
      const finishedFirst = result.signal !== "SIGKILL";
      if (finishedFirst) expect(result.code, result.stderr).toBe(0);

      const present = await expectWholeOrAbsent(dataDir, articles);
      for (const id of before) expect(present.has(id), `${id} was stored before and must still be`).toBe(true);
      history.push({ present: present.size, killedAt: finishedFirst ? "finished first" : killedAt });
      before = present;
      if (present.size === ARTICLES) break;
    }
    // The kills did land mid-ingest: some run left a store with some but not all articles.
    expect(history.some((h) => h.present > 0 && h.present < ARTICLES), JSON.stringify(history)).toBe(true);

    const rerun = await runNode(INGEST, ["--data-dir", dataDir, "--json", jsonl]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { added: string[]; replaced: string[]; unchanged: string[]; failed: unknown[] };
    expect(summary.failed).toEqual([]);
    expect(summary.replaced).toEqual([]);
    expect(summary.unchanged.length).toBe(before.size);
    expect(summary.added.length + summary.unchanged.length).toBe(ARTICLES);
    expect((await expectWholeOrAbsent(dataDir, articles)).size).toBe(ARTICLES);

    // Answerable: the unique word of each title finds its article first.
    const lib = await openLibrary({ dataDir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      for (const i of [0, 57, 123, ARTICLES - 1]) {
        const a = await lib.answer(`What happened in dispatch zx${i}?`);
        expect(a.ranked[0]?.articleId, `question about dispatch ${i}`).toBe(`zx-${i}`);
      }
    } finally {
      await lib.close();
    }
  });

  it("a process killed while saving the index snapshots leaves them loadable", { timeout: 120_000 }, async () => {
    const rand = mulberry32(42);
    let saves = 0;
    let interrupted = 0;
    for (let kill = 0; kill < 4; kill++) {
      const { child, done } = startNode("test/reliability/fixtures/save-loop.ts", [dataDir]);
      let watcher: FSWatcher | null = null;
      await new Promise<void>((resolve, reject) => {
        child.once("exit", () => reject(new Error("the save loop ended before it was killed")));
        child.stdout!.once("data", () => {
          // Even kills: a random moment. Odd kills: the instant a new data file appears, which is
          // mid-save (written, not yet fsynced, checksummed or pointed to).
          if (kill % 2 === 0) setTimeout(resolve, rand() * 400);
          else
            watcher = watch(path.join(dataDir, "index"), (_event, file) => {
              if (file && /^vectors\.\d+\..*\.bin$/.test(String(file))) resolve();
            });
        });
      });
      child.kill("SIGKILL");
      (watcher as FSWatcher | null)?.close();
      const result = await done;
      expect(result.signal, result.stderr).toBe("SIGKILL");
      saves += (result.stdout.match(/^saved/gm) ?? []).length;
      if (leftovers(dataDir) > 0) interrupted++;
      expect((await expectWholeOrAbsent(dataDir, articles)).size).toBe(ARTICLES);
    }
    // It was saving when killed, over and over, and at least one kill cut a save short.
    expect(saves).toBeGreaterThan(4);
    expect(interrupted).toBeGreaterThan(0);
  });
});
