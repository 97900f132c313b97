import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LexicalIndex } from "../../src/index/lexical-index.ts";
import { Store } from "../../src/store/store.ts";
import { tempLibrary, textFile } from "../support/library.ts";

const record = (id: string, title: string, paragraphs: string[]) => ({ id, title, source: "Test Wire", url: null, published: "2025-01-02", paragraphs });
const jsonl = (records: object[]) => textFile("batch.jsonl", records.map((r) => JSON.stringify(r)).join("\n"));

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

/** A library holding three short articles; the lexical index is read from the store it wrote. */
async function setUp() {
  const t = await tempLibrary();
  cleanups.push(t.cleanup);
  await t.lib.ingest([
    jsonl([
      record("harbour", "Harbour bridge reopens", ["The bridge reopened on Monday after repairs to its cables.", "Ferry crews welcomed the news."]),
      record("ferry", "Ferry strike called off", ["Ferry crews called off their strike after a late pay offer.", "The union said crews would vote again in March."]),
      record("airline", "Kestrel Airways orders planes", ["Kestrel Airways ordered twelve propeller planes for island routes."]),
    ]),
  ]);
  const store = Store.open(t.dir);
  cleanups.unshift(async () => store.close());
  const ids = (articleId: string) => store.paragraphIdsOfArticle(articleId);
  return { ...t, store, ids };
}

describe("lexical index", () => {
  it("ranks paragraphs holding more of the question's words first, and counts documents per term", async () => {
    const { store, ids } = await setUp();
    const index = LexicalIndex.empty();
    index.catchUp(store);
    const { hits, documentFrequency } = index.search("Did the ferry crews strike?", 10);
    expect(hits[0]!.paragraphId).toBe(ids("ferry")[0]);
    // Paragraphs holding a term in their text or their article's headline; stopwords are not terms.
    expect(documentFrequency.get("ferry")).toBe(3);
    expect(documentFrequency.get("strike")).toBe(2);
    expect(documentFrequency.has("the")).toBe(false);
    expect(hits.map((h) => h.paragraphId)).not.toContain(ids("airline")[0]);
  });

  it("finds a paragraph by its article's headline, below one that says the words itself", async () => {
    const { store, ids } = await setUp();
    const index = LexicalIndex.empty();
    index.catchUp(store);
    const { hits } = index.search("bridge reopens", 10);
    // Paragraph 2 of the harbour story says nothing of bridges; only its headline does.
    expect(hits.map((h) => h.paragraphId)).toEqual([ids("harbour")[0], ids("harbour")[1]]);
  });

  it("forgets removed paragraphs (results and document counts), and a saved copy reloads the same", async () => {
    const { store, ids } = await setUp();
    const index = LexicalIndex.empty();
    index.catchUp(store);
    const ferry = ids("ferry");
    // Straight to the store, so its tombstones stay for this index to catch up from.
    expect(store.deleteArticle("ferry")).toBe(true);
    index.catchUp(store);
    const after = index.search("ferry strike vote union", 10);
    expect(after.hits.map((h) => h.paragraphId).filter((id) => ferry.includes(id))).toEqual([]);
    expect(after.documentFrequency.get("ferry")).toBe(1);
    expect(after.documentFrequency.has("strike")).toBe(false);
    expect(index.size).toBe(3);

    const dir = mkdtempSync(path.join(tmpdir(), "nq-lexical-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await index.save(dir);
    const saved = LexicalIndex.load(dir)!;
    expect(saved.size).toBe(3);
    for (const q of ["ferry crews", "Kestrel planes", "bridge cables Monday", "strike"]) expect(saved.search(q, 10)).toEqual(index.search(q, 10));
  });

  it("saves an index of thousands of terms, written in pieces, and reloads it whole", async () => {
    const t = await tempLibrary();
    cleanups.push(t.cleanup);
    // 6,000 made-up words: the snapshot is written 2,000 terms at a time, so this crosses pieces.
    const word = (i: number) => `zq${i.toString(36)}x`;
    const records = Array.from({ length: 60 }, (_, a) =>
      record(`notes-${a}`, `Desk notes ${a}`, [Array.from({ length: 100 }, (_, w) => word(a * 100 + w)).join(" ") + "."]),
    );
    await t.lib.ingest([jsonl(records)]);
    const store = Store.open(t.dir);
    cleanups.unshift(async () => store.close());
    const index = LexicalIndex.empty();
    index.catchUp(store);
    const dir = mkdtempSync(path.join(tmpdir(), "nq-lexical-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await index.save(dir);
    const saved = LexicalIndex.load(dir)!;
    expect(saved.size).toBe(60);
    for (const i of [0, 1999, 2000, 4321, 5999]) {
      const hits = saved.search(word(i), 5).hits;
      expect(hits.map((h) => h.paragraphId)).toEqual(store.paragraphIdsOfArticle(`notes-${Math.floor(i / 100)}`));
      expect(hits).toEqual(index.search(word(i), 5).hits);
    }
  });
});
