/**
 * `npm run doctor` and the library's start-up on damaged index files. Each case copies one healthy
 * store (seed story + generated articles, one article forgotten so that tombstones were pruned),
 * damages it in one way, and checks that the doctor names the problem and the repair, that
 * `--repair` (or the library's own rebuild at start-up) fixes it, and that no article is lost.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStore, repairStore } from "../../src/maintenance/doctor.ts";
import { createEmbeddingProvider, type EmbeddingProvider } from "../../src/index/embeddings.ts";
import { USE_LITE_DIMENSION } from "../../src/index/use-lite-model.ts";
import { openLibrary } from "../../src/library.ts";
import { Store } from "../../src/store/store.ts";
import { ask } from "../support/library.ts";
import { expectWholeOrAbsent, generateArticles, runNode, toJsonl, type GeneratedArticle } from "./support.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";
const DOCTOR = "src/cli/doctor.ts";

let work: string;
let golden: string;
let provider: EmbeddingProvider;
let corpus: GeneratedArticle[];
/** Snapshot files saved before the forget: an older generation, whose tombstones were pruned since. */
let olderIndex: string;
let counter = 0;

/** A private copy of the healthy store. */
function copy(): string {
  const dir = path.join(work, `case-${++counter}`);
  cpSync(golden, dir, { recursive: true });
  return dir;
}

const indexFile = (dir: string, name: "vectors" | "lexical", kind: "pointer" | "data") => {
  const index = path.join(dir, "index");
  if (kind === "pointer") return path.join(index, `${name}.json`);
  return path.join(index, (JSON.parse(readFileSync(path.join(index, `${name}.json`), "utf8")) as { file: string }).file);
};

function counts(dir: string) {
  const store = Store.open(dir);
  try {
    return store.counts();
  } finally {
    store.close();
  }
}

const open = (dir: string, warn: (m: string) => void = () => {}) => openLibrary({ dataDir: dir, provider, warn, env: { EMBED_WORKERS: "0" } });

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "nq-doctor-"));
  golden = path.join(work, "golden");
  provider = await createEmbeddingProvider({ provider: "use-lite", workers: 0 });
  corpus = generateArticles(30, 3, { prefix: "dr" });
  const lib = await open(golden);
  await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }, { name: "dispatches.jsonl", bytes: Buffer.from(toJsonl(corpus)) }]);
  olderIndex = path.join(work, "older-index");
  cpSync(path.join(golden, "index"), olderIndex, { recursive: true });
  expect(await lib.forget("dr-29")).toBe(true);
  corpus = corpus.slice(0, 29);
  await lib.close();
});

afterAll(async () => {
  await provider?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("npm run doctor", () => {
  it("exits 0 on a consistent store and says so", async () => {
    const r = await runNode(DOCTOR, ["--data-dir", copy()]);
    expect(r.stdout).toMatch(/30 articles, \d+ paragraphs, \d+ sentences/);
    expect(r.stdout).toMatch(/^Consistent\.$/m);
    expect(r.code).toBe(0);
  });

  it("exits 1 naming what is wrong and how to repair it; --repair fixes it without deleting an article", async () => {
    const dir = copy();
    const before = counts(dir);
    const data = indexFile(dir, "vectors", "data");
    writeFileSync(data, readFileSync(data).subarray(0, 200));
    const check = await runNode(DOCTOR, ["--data-dir", dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/PROBLEM: the vector index is damaged: .*vectors\.\d+\.\w+\.bin is damaged \(200 bytes, expected \d+/);
    expect(check.stdout).toMatch(/Fix: --repair rebuilds it from the store/);
    expect(check.stdout).toMatch(/1 problem\(s\)\. Run with --repair to fix what can be fixed\./);

    const repair = await runNode(DOCTOR, ["--data-dir", dir, "--repair"]);
    expect(repair.stdout).toMatch(/Repairing \(no article is deleted\)/);
    expect(repair.stdout).toMatch(/^Consistent\.$/m);
    expect(repair.code).toBe(0);
    expect(counts(dir)).toEqual(before);

    const again = await runNode(DOCTOR, ["--data-dir", dir]);
    expect(again.code, again.stdout).toBe(0);
  });

  it("exits 1 when there is no store, without creating one", async () => {
    const dir = path.join(work, "nothing-here");
    const r = await runNode(DOCTOR, ["--data-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/No store at .*nothing-here.*npm run ingest/);
    expect(existsSync(dir)).toBe(false);
  });
});

/** Each way a store can be damaged, what the doctor must say about it, and what start-up must say. */
const DAMAGES: { name: string; damage: (dir: string) => void; problem: RegExp; warning: RegExp }[] = [
  {
    name: "a truncated vector index file",
    damage: (dir) => writeFileSync(indexFile(dir, "vectors", "data"), readFileSync(indexFile(dir, "vectors", "data")).subarray(0, 100)),
    problem: /vector index is damaged: .* is damaged \(100 bytes/,
    warning: /vector index could not be used .* is damaged .*rebuilding it from the store/,
  },
  {
    name: "a deleted vector index file",
    damage: (dir) => rmSync(indexFile(dir, "vectors", "data")),
    problem: /vector index is damaged: .*vectors\.\d+\.\w+\.bin is missing/,
    warning: /vector index could not be used .* is missing.*rebuilding/,
  },
  {
    name: "a garbage vector pointer",
    damage: (dir) => writeFileSync(indexFile(dir, "vectors", "pointer"), "{\"file\": 42, garbage"),
    problem: /vector index is damaged: .*vectors\.json is unreadable/,
    warning: /vector index could not be used .*vectors\.json is unreadable.*rebuilding/,
  },
  {
    name: "a vector pointer naming a file that is not an index (checksum intact)",
    damage: (dir) => {
      const bogus = path.join(dir, "index", "vectors.99.bogus.bin");
      const bytes = Buffer.from("not an hnsw index at all ".repeat(40));
      writeFileSync(bogus, bytes);
      const pointer = JSON.parse(readFileSync(indexFile(dir, "vectors", "pointer"), "utf8")) as Record<string, unknown>;
      writeFileSync(indexFile(dir, "vectors", "pointer"), JSON.stringify({ ...pointer, file: "vectors.99.bogus.bin", bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") }));
    },
    problem: /vector index is damaged: .* is not a readable vector index/,
    warning: /vector index could not be used .*not a readable vector index.*rebuilding/,
  },
  {
    name: "a stale vector snapshot (older than the pruned tombstones: it still holds a forgotten article)",
    damage: (dir) => {
      for (const f of readdirSync(olderIndex)) if (f.startsWith("vectors.")) cpSync(path.join(olderIndex, f), path.join(dir, "index", f));
    },
    problem: /saved vector index is older than the store's kept history/,
    warning: /saved vector index is older than the store's kept history .*rebuilding/,
  },
  {
    name: "a truncated lexical index file",
    damage: (dir) => writeFileSync(indexFile(dir, "lexical", "data"), readFileSync(indexFile(dir, "lexical", "data")).subarray(0, 50)),
    problem: /lexical index is damaged: .* is damaged \(50 bytes/,
    warning: /lexical index could not be used .*rebuilding it from the store/,
  },
  {
    name: "a deleted lexical pointer and data file",
    damage: (dir) => {
      rmSync(indexFile(dir, "lexical", "data"));
      rmSync(indexFile(dir, "lexical", "pointer"));
    },
    problem: /^$/, // not a problem: the next start builds it (an ingest killed before its first save leaves the same)
    warning: /^$/,
  },
];

describe("doctor checks and repairs, and start-up rebuilds", () => {
  for (const { name, damage, problem, warning } of DAMAGES) {
    it(name, async () => {
      const dir = copy();
      const before = counts(dir);
      damage(dir);

      const store = Store.open(dir);
      try {
        const findings = checkStore(dir, store, provider, USE_LITE_DIMENSION);
        if (problem.source === "^$") expect(findings).toEqual([]);
        else {
          expect(findings.map((f) => f.problem).join("\n")).toMatch(problem);
          expect(findings.every((f) => f.repairable && /--repair/.test(f.fix))).toBe(true);
        }
      } finally {
        store.close();
      }

      // Start-up on the damaged copy: a clear warning, a rebuild, answers as before.
      const startDir = path.join(work, `start-${counter}`);
      cpSync(dir, startDir, { recursive: true });
      const warnings: string[] = [];
      const lib = await open(startDir, (m) => warnings.push(m));
      try {
        if (warning.source === "^$") expect(warnings).toEqual([]);
        else expect(warnings.join("\n")).toMatch(warning);
        expect((await ask(lib, PESKOV)).status).toBe("answered");
      } finally {
        await lib.close();
      }
      expect((await expectWholeOrAbsent(startDir, corpus, { others: 1 })).size).toBe(29);

      // --repair, in process: consistent after, nothing deleted.
      const repairing = Store.open(dir);
      try {
        await repairStore(dir, repairing, provider, checkStore(dir, repairing, provider, USE_LITE_DIMENSION));
        await (await open(dir)).close();
        expect(checkStore(dir, repairing, provider, USE_LITE_DIMENSION)).toEqual([]);
        expect(repairing.counts()).toEqual(before);
      } finally {
        repairing.close();
      }
    });
  }

  it("vectors missing from the embedding cache: --repair embeds them from the stored text", async () => {
    const dir = copy();
    const before = counts(dir);
    const store = Store.open(dir);
    try {
      // The damage is done beside the store, as a stray tool or a bad restore would.
      const raw = new Database(path.join(dir, "store.db"));
      const removed = raw.prepare("DELETE FROM embeddings WHERE hash IN (SELECT hash FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.article_id = 'dr-3')").run().changes;
      raw.close();
      expect(removed).toBeGreaterThan(0);
      const findings = checkStore(dir, store, provider, USE_LITE_DIMENSION);
      expect(findings.map((f) => f.problem).join("\n")).toMatch(/\d+ sentence\(s\) have no vector in the embedding cache/);
      expect(findings.find((f) => /no vector/.test(f.problem))!.fix).toMatch(/--repair embeds them/);
      await repairStore(dir, store, provider, findings);
      await (await open(dir)).close();
      expect(checkStore(dir, store, provider, USE_LITE_DIMENSION)).toEqual([]);
      expect(store.counts()).toEqual(before);
    } finally {
      store.close();
    }
    expect((await expectWholeOrAbsent(dir, corpus, { others: 1 })).size).toBe(29);
  });

  it("an index snapshot newer than the store (store.db replaced by an older copy) is rebuilt, not trusted", async () => {
    const dir = copy();
    const store = Store.open(dir);
    store.setMeta("generation", String(store.generation() + 5));
    store.close();
    const lib = await open(dir);
    await lib.close(); // it saved its snapshots at the raised generation
    // Now the store goes back to an older copy (a backup, say), and the snapshots stay.
    for (const f of ["store.db-wal", "store.db-shm"]) rmSync(path.join(dir, f), { force: true });
    cpSync(path.join(golden, "store.db"), path.join(dir, "store.db"));
    const s = Store.open(dir);
    try {
      expect(checkStore(dir, s, provider, USE_LITE_DIMENSION).map((f) => f.problem).join("\n")).toMatch(/newer than the store/);
    } finally {
      s.close();
    }
    const warnings: string[] = [];
    const reopened = await open(dir, (m) => warnings.push(m));
    await reopened.close();
    expect(warnings.join("\n")).toMatch(/vector index is newer than the store .*rebuilding/);
  });
});
