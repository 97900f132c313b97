import Database from "better-sqlite3";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { articleId } from "../../src/articles/identity.ts";
import { openLibrary, RevisionError } from "../../src/library.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { runNode } from "../reliability/support.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

const LIGHTHOUSE = [
  "The Port Ellery harbour council voted on Tuesday to restore the old lighthouse on the northern breakwater for 4.2 million euros.",
  "Councillor Marta Quental said the work would begin in the spring and take two years, with the lamp room rebuilt first.",
  "Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.",
];
const SCHOOL_BOARD = [
  "The Riverside school board elected Amara Okafor as its new chair on Wednesday evening, by five votes to two.",
  "Okafor, a former maths teacher, said her first task would be to reopen the shuttered library at Elm Street Primary.",
  "Parents at the meeting asked the board to publish its budget for the coming year before the summer holidays.",
];
const text = (paragraphs: string[]) => paragraphs.join("\n\n");
const jsonl = (name: string, records: object[]) => textFile(name, records.map((r) => JSON.stringify(r)).join("\n"));

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function library(env: Record<string, string> = {}, dataDir?: string) {
  const t = await tempLibrary({ env, ...(dataDir ? { dataDir } : {}) });
  cleanups.push(t.cleanup);
  return t;
}

describe("nothing is replaced unless it is evidently the same article", () => {
  it("two different stories uploaded as article.txt are both kept, and the summary says the second went in beside the first", async () => {
    const { lib } = await library();
    const first = await lib.ingest([textFile("article.txt", text(LIGHTHOUSE))]);
    const second = await lib.ingest([textFile("article.txt", text(SCHOOL_BOARD))]);
    expect(second).toMatchObject({ added: [expect.any(String)], replaced: [], replacements: [] });
    expect(second.keptBeside).toEqual([{ id: second.added[0], title: expect.stringMatching(/^The Riverside school board/), existing: { id: first.added[0], title: expect.stringMatching(/^The Port Ellery/) } }]);
    expect(lib.articles().map((a) => a.id).sort()).toEqual([...first.added, ...second.added].sort());
    const a = await ask(lib, "What did fishermen say about the lighthouse decision?");
    expect(a.status).toBe("answered");
    expect(a.quotes[0]!.articleId).toBe(first.added[0]);
  });

  it("two different feed.jsonl uploads whose records have neither id nor URL keep every record", async () => {
    const { lib } = await library();
    await lib.ingest([jsonl("feed.jsonl", [{ title: "Lighthouse", paragraphs: LIGHTHOUSE }, { title: "Board", paragraphs: SCHOOL_BOARD }])]);
    const second = await lib.ingest([
      jsonl("feed.jsonl", [
        { title: "Ferry", paragraphs: ["The island ferry will run every hour from May, the operator said on Monday, after a new boat arrived from the yard."] },
        { title: "Bakery", paragraphs: ["A bakery on Mill Lane won the regional bread prize for its sourdough, judged blind by a panel of twelve bakers."] },
      ]),
    ]);
    expect(second.replaced).toEqual([]);
    expect(second.keptBeside.map((k) => k.existing.title).sort()).toEqual(["Board", "Lighthouse"]);
    expect(lib.articles().map((a) => a.title).sort()).toEqual(["Bakery", "Board", "Ferry", "Lighthouse"]);
  });

  it("a JSON record whose id is another article's derived id is refused with the reason, and that article stays", async () => {
    const { lib } = await library();
    const { added } = await lib.ingest([textFile("article.txt", text(LIGHTHOUSE))]);
    expect(added[0]).toBe(articleId(undefined, undefined, LIGHTHOUSE));
    const impostor = await lib.ingest([jsonl("feed.jsonl", [{ id: added[0], title: "Lighthouse plan scrapped", paragraphs: ["The lighthouse will not be restored."] }])]);
    expect(impostor.added).toEqual([]);
    expect(impostor.replaced).toEqual([]);
    expect(impostor.failed).toEqual([{ where: "feed.jsonl:1", reason: expect.stringMatching(/form of the ids this program derives.*another article's place/) }]);
    expect(lib.articles().map((a) => a.title)).toEqual([expect.stringMatching(/^The Port Ellery/)]);
    // A re-imported record that carries the id its own text derives is the same article: unchanged.
    const again = await lib.ingest([jsonl("export.jsonl", [{ id: added[0], paragraphs: LIGHTHOUSE }])]);
    expect(again.failed).toEqual([]);
    expect(again.unchanged).toEqual(added);
  });

  it("a corrected article.txt replaces its earlier version, the summary names old -> new, and the replacement can be undone and redone", async () => {
    const { lib } = await library();
    const council = (vote: string) => `Council vote on the harbour budget\n\nThe council approved the harbour budget on Monday.\n\nThe vote was ${vote}.`;
    const first = await lib.ingest([textFile("notes/council.txt", council("seven to two"))]);
    const corrected = await lib.ingest([textFile("notes/council.txt", council("six to three"))]);
    expect(corrected.replaced).toHaveLength(1);
    expect(corrected.replacements).toEqual([
      { id: corrected.replaced[0], title: "Council vote on the harbour budget", replaced: { id: first.added[0], title: "Council vote on the harbour budget" }, revision: expect.any(Number) },
    ]);
    expect(lib.articles()).toHaveLength(1);
    expect((await ask(lib, "What was the council vote?")).quotes.map((q) => q.text).join(" ")).toContain("six to three");

    const history = lib.revisions(corrected.replaced[0]);
    expect(history).toEqual([expect.objectContaining({ id: corrected.replacements[0]!.revision, articleId: first.added[0], reason: "replaced", supersededBy: corrected.replaced[0], paragraphs: 2 })]);
    const undo = await lib.restore(corrected.replacements[0]!.revision!);
    expect(undo).toEqual({ article: { id: first.added[0], title: "Council vote on the harbour budget" }, replaced: [{ id: corrected.replaced[0], title: expect.any(String), revision: expect.any(Number) }], unchanged: false });
    expect(lib.articles().map((a) => a.id)).toEqual(first.added);
    const quoted = await ask(lib, "What was the council vote?");
    expect(quoted.quotes.map((q) => q.text).join(" ")).toContain("seven to two");
    expect(lib.paragraph(first.added[0]!, 2)![0]!.text).toBe("The vote was seven to two.");

    // The undo is itself kept, so it can be undone; restoring what is already there changes nothing.
    await lib.restore(undo.replaced[0]!.revision!);
    expect(lib.articles().map((a) => a.id)).toEqual(corrected.replaced);
    expect(await lib.restore(undo.replaced[0]!.revision!)).toMatchObject({ unchanged: true, replaced: [] });
    await expect(lib.restore(999_999)).rejects.toThrow(RevisionError);
  });

  it("a same-id replacement names the old and new titles, and a forgotten article comes back with every paragraph", async () => {
    const { lib } = await library();
    await lib.ingest([jsonl("a.jsonl", [{ id: "story-1", title: "Lighthouse restored", paragraphs: LIGHTHOUSE }])]);
    const s = await lib.ingest([jsonl("b.jsonl", [{ id: "story-1", title: "Lighthouse restoration delayed", paragraphs: LIGHTHOUSE.slice(0, 2) }])]);
    expect(s.replacements).toEqual([{ id: "story-1", title: "Lighthouse restoration delayed", replaced: { id: "story-1", title: "Lighthouse restored" }, revision: expect.any(Number) }]);

    expect(await lib.forget("story-1")).toBe(true);
    expect(lib.articles()).toEqual([]);
    const [forgotten, replaced] = lib.revisions("story-1");
    expect(forgotten).toMatchObject({ reason: "forgotten", title: "Lighthouse restoration delayed", supersededBy: null });
    expect(replaced).toMatchObject({ reason: "replaced", title: "Lighthouse restored", supersededBy: "story-1" });
    await lib.restore(replaced!.id);
    expect(lib.articles().map((a) => [a.id, a.title, a.paragraphs])).toEqual([["story-1", "Lighthouse restored", 3]]);
    expect((await ask(lib, "What did fishermen say about the lighthouse decision?")).quotes[0]).toMatchObject({ articleId: "story-1", paragraph: 3 });
  });
});

describe("revisions are kept for REVISION_RETENTION_DAYS", () => {
  it("prunes revisions past the retention when the library opens, and keeps none with 0", async () => {
    const { lib, dir } = await library();
    await lib.ingest([jsonl("a.jsonl", [{ id: "old", paragraphs: LIGHTHOUSE }, { id: "recent", paragraphs: SCHOOL_BOARD }])]);
    await lib.forget("old");
    await lib.forget("recent");
    await lib.close();
    const db = new Database(path.join(dir, "store.db"));
    db.prepare("UPDATE revisions SET superseded_at = ? WHERE article_id = 'old'").run(new Date(Date.now() - 31 * 86_400_000).toISOString());
    db.close();

    const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      expect(reopened.revisions().map((r) => r.articleId)).toEqual(["recent"]);
    } finally {
      await reopened.close();
    }
    const none = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0", REVISION_RETENTION_DAYS: "0" }, warn: () => {} });
    try {
      expect(none.revisions()).toEqual([]);
      await none.ingest([jsonl("c.jsonl", [{ id: "gone", paragraphs: LIGHTHOUSE }])]);
      await none.forget("gone");
      expect(none.revisions()).toEqual([]);
    } finally {
      await none.close();
    }
  });

  it("upgrades a schema-2 store in place, adding the revisions tables and keeping every article", async () => {
    const { lib, dir } = await library();
    await lib.ingest([jsonl("a.jsonl", [{ id: "kept", paragraphs: LIGHTHOUSE }])]);
    await lib.close();
    const old = new Database(path.join(dir, "store.db"));
    old.exec("DROP TABLE revision_paragraphs; DROP TABLE revisions; DROP TABLE feedback; CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, question TEXT NOT NULL, answer_json TEXT NOT NULL, helpful INTEGER NOT NULL, by TEXT NOT NULL); UPDATE meta SET value = '2' WHERE key = 'schema_version';");
    old.close();

    const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      expect(reopened.articles().map((a) => a.id)).toEqual(["kept"]);
      await reopened.forget("kept");
      expect(reopened.revisions().map((r) => r.articleId)).toEqual(["kept"]);
    } finally {
      await reopened.close();
    }
    const upgraded = new Database(path.join(dir, "store.db"), { readonly: true });
    try {
      expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    } finally {
      upgraded.close();
    }
  });
});

describe("npm run restore", () => {
  it("lists what can be restored and puts a forgotten article back; an unknown revision exits 1 with the reason", async () => {
    const { lib, dir } = await library();
    await lib.ingest([jsonl("a.jsonl", [{ id: "story-1", title: "Lighthouse restored", paragraphs: LIGHTHOUSE }])]);
    await lib.forget("story-1");
    const [revision] = lib.revisions();
    await lib.close();

    const help = await runNode("src/cli/restore.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Undo a replacement or a forget[\s\S]*REVISION_RETENTION_DAYS/);
    const list = await runNode("src/cli/restore.ts", ["--data-dir", dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^\\s*${revision!.id}  \\S+ \\S+  "Lighthouse restored" \\(story-1, 3 paragraphs\\), forgotten$`, "m"));
    const restored = await runNode("src/cli/restore.ts", ["--data-dir", dir, String(revision!.id)]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored "Lighthouse restored" \(story-1\)\.$/m);
    const missing = await runNode("src/cli/restore.ts", ["--data-dir", dir, "424242"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No revision 424242 is kept/);

    const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      expect(reopened.articles().map((a) => a.id)).toEqual(["story-1"]);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
