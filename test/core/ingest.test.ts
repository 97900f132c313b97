import Database from "better-sqlite3";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkStore } from "../../src/maintenance/doctor.ts";
import { USE_LITE_DIMENSION, USE_LITE_ID } from "../../src/index/use-lite-model.ts";
import { openLibrary } from "../../src/library.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { Store } from "../../src/store/store.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const seed = () => ({ name: SEED, bytes: readFileSync(SEED) });

const jsonl = (records: object[]) => textFile("batch.jsonl", records.map((r) => JSON.stringify(r)).join("\n"));
const record = (id: string, paragraphs: string[], extra: object = {}) => ({ id, title: `Story ${id}`, source: "Test Wire", url: null, published: "2025-01-02", paragraphs, ...extra });

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function library(options: Parameters<typeof tempLibrary>[0] = {}) {
  const t = await tempLibrary(options);
  cleanups.push(t.cleanup);
  return t;
}

describe("ingest", () => {
  it("ingesting the same article again changes nothing and embeds nothing", async () => {
    const { lib } = await library();
    const first = await lib.ingest([seed()]);
    expect(first.added).toHaveLength(1);
    expect(first.embeddedSentences).toBeGreaterThan(10);
    const again = await lib.ingest([seed()]);
    expect(again).toMatchObject({ added: [], replaced: [], unchanged: first.added, failed: [], embeddedSentences: 0 });
  });

  it("keeps JSON ids, and a changed version replaces the old one whole", async () => {
    const { lib } = await library();
    await lib.ingest([jsonl([record("alpha", ["The harbour bridge reopened on Monday after repairs.", "Engineers replaced forty steel cables."])])]);
    const before = await ask(lib, "How many steel cables did engineers replace?");
    expect(before.quotes[0]).toMatchObject({ articleId: "alpha", paragraph: 2 });

    const summary = await lib.ingest([jsonl([record("alpha", ["The harbour bridge reopened on Tuesday after repairs."])])]);
    expect(summary.replaced).toEqual(["alpha"]);
    expect(lib.articles()).toHaveLength(1);
    expect(lib.paragraph("alpha", 2)).toBeNull();
    const after = await ask(lib, "How many steel cables did engineers replace?");
    expect(after.status).toBe("not_found");
    expect(after.quotes).toEqual([]);
  });

  it("an edited copy of a file without URL replaces its earlier version", async () => {
    const { lib } = await library();
    await lib.ingest([textFile("notes/council.txt", "The council approved the budget on Monday.\n\nThe vote was seven to two.")]);
    const s = await lib.ingest([textFile("notes/council.txt", "The council approved the budget on Monday.\n\nThe vote was six to three.")]);
    expect(s.replaced).toHaveLength(1);
    expect(lib.articles()).toHaveLength(1);
    const a = await ask(lib, "What was the council vote?");
    expect(a.quotes.map((q) => q.text).join(" ")).not.toContain("seven");
  });

  it("bad inputs are named with a reason and the rest of the batch still goes in", async () => {
    const { lib } = await library();
    const summary = await lib.ingest([
      textFile("empty.txt", ""),
      { name: "binary.txt", bytes: new Uint8Array([0, 159, 146, 150, 0, 1, 2, 3, 255, 254]) },
      textFile("archive.jsonl", [JSON.stringify(record("good-1", ["A good record about the new library."])), "{not json", JSON.stringify({ id: "x" })].join("\n")),
      seed(),
    ]);
    expect(summary.added.sort()).toEqual(expect.arrayContaining(["good-1"]));
    expect(summary.added).toHaveLength(2);
    const where = summary.failed.map((f) => f.where);
    expect(where).toEqual(expect.arrayContaining(["empty.txt", "binary.txt", "archive.jsonl:2", "archive.jsonl:3"]));
    for (const f of summary.failed) expect(f.reason.length).toBeGreaterThan(10);
    expect(lib.articles()).toHaveLength(2);
  });

  it("every paragraph and sentence of later ingests reaches both indexes, here and in a reader opened before", async () => {
    const { lib, dir } = await library();
    await lib.ingest([seed()]);
    const reader = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      // Several batches: each catch-up starts where the previous generation ended, not at row 0.
      await lib.ingest([jsonl([record("first", ["Ferry crews voted to strike over rosters.", "The union said talks had failed."])])]);
      await lib.ingest([jsonl([record("second", ["Kestrel Airways ordered twelve propeller planes for island routes."])])]);
      await lib.ingest([jsonl([record("first", ["Ferry crews called off the strike after a late offer."])])]);
      const store = Store.open(dir);
      try {
        expect(checkStore(dir, store, { id: USE_LITE_ID }, USE_LITE_DIMENSION)).toEqual([]);
      } finally {
        store.close();
      }
      for (const l of [lib, reader]) {
        const planes = await ask(l, "How many planes did Kestrel Airways order?");
        expect(planes.quotes[0]?.text).toContain("Kestrel Airways ordered twelve");
        const ferry = await ask(l, "Did the ferry crews strike?");
        expect(ferry.quotes.map((q) => q.text).join(" ")).toContain("called off the strike");
        expect(ferry.quotes.map((q) => q.text).join(" ")).not.toContain("talks had failed");
      }
    } finally {
      await reader.close();
    }
  });

  it("forget removes an article from the store and every index", async () => {
    const { lib } = await library();
    await lib.ingest([seed()]);
    const [a] = lib.articles();
    expect(await lib.forget(a!.id)).toBe(true);
    expect(await lib.forget(a!.id)).toBe(false);
    expect(lib.articles()).toEqual([]);
    const answer = await ask(lib, "What did Peskov say about publicity?");
    expect(answer.status).toBe("not_found");
    expect(answer.citations).toEqual([]);
  });

  it("uses both cores through worker threads and gives the same vectors", async () => {
    const single = await library({ workers: 0 });
    const pooled = await library({ workers: 2 });
    await single.lib.ingest([seed()]);
    const s = await pooled.lib.ingest([seed()]);
    expect(s.embeddedSentences).toBeGreaterThan(10);
    const q = "What did Peskov say about publicity?";
    const [a, b] = [await ask(single.lib, q), await ask(pooled.lib, q)];
    expect(b.quotes).toEqual(a.quotes);
    expect(b.confidence).toBeCloseTo(a.confidence, 3);
  });
});

describe("the store across restarts", () => {
  it("reopens with everything answerable, and rebuilds a damaged index instead of crashing", async () => {
    const { lib, dir } = await library();
    await lib.ingest([seed()]);
    await lib.close();

    const reopened = await library({ dataDir: dir });
    expect((await ask(reopened.lib, "What did Peskov say about publicity?")).status).toBe("answered");
    await reopened.lib.close();

    const indexDir = path.join(dir, "index");
    const bin = readdirSync(indexDir).find((f) => f.startsWith("vectors.") && f.endsWith(".bin"))!;
    writeFileSync(path.join(indexDir, bin), readFileSync(path.join(indexDir, bin)).subarray(0, 100));
    const warnings: string[] = [];
    const repaired = await library({ dataDir: dir, warn: (m) => warnings.push(m) });
    expect(warnings.join("\n")).toMatch(/vector index .*damaged.*rebuilding/s);
    expect((await ask(repaired.lib, "What did Peskov say about publicity?")).status).toBe("answered");
  });

  it("upgrades a schema-1 store in place, keeping every article and cached vector", async () => {
    const { lib, dir } = await library();
    await lib.ingest([seed()]);
    await lib.close();
    // Put the store back in schema 1's layout: the embedding cache as a WITHOUT ROWID table.
    const old = new Database(path.join(dir, "store.db"));
    old.exec(`CREATE TABLE e1 (model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, hash)) WITHOUT ROWID;
      INSERT INTO e1 SELECT model, hash, vector FROM embeddings; DROP TABLE embeddings; ALTER TABLE e1 RENAME TO embeddings;
      DROP TABLE feedback; CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, question TEXT NOT NULL, answer_json TEXT NOT NULL, helpful INTEGER NOT NULL, by TEXT NOT NULL);
      UPDATE meta SET value = '1' WHERE key = 'schema_version';`);
    const vectors = old.prepare("SELECT COUNT(*) FROM embeddings").pluck().get() as number;
    old.close();

    const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      expect((await ask(reopened, "What did Peskov say about publicity?")).status).toBe("answered");
      expect((await reopened.ingest([seed()])).embeddedSentences).toBe(0);
    } finally {
      await reopened.close();
    }
    const upgraded = new Database(path.join(dir, "store.db"), { readonly: true });
    try {
      expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
      expect(upgraded.prepare("SELECT COUNT(*) FROM embeddings").pluck().get()).toBe(vectors);
      expect(upgraded.prepare("SELECT sql FROM sqlite_master WHERE name = 'embeddings'").pluck().get()).not.toMatch(/WITHOUT ROWID/i);
    } finally {
      upgraded.close();
    }
  });

  it("refuses a store built with another embedding model and says how to re-index", async () => {
    const { lib, dir } = await library();
    await lib.ingest([seed()]);
    await lib.close();
    const { Store } = await import("../../src/store/store.ts");
    const store = Store.open(dir);
    store.setMeta("embedding_model", "ollama:some-other-model");
    store.close();
    await expect(library({ dataDir: dir })).rejects.toThrow(/npm run reindex/);
  });
});
