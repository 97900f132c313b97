import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openLibrary, ReceiptIdError } from "../../src/library.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

const HARBOUR = [
  "The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million euros for restoring the old lighthouse.",
  "Councillor Marta Quental said the restoration would begin in the spring and take two years.",
  "Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.",
];
const record = (paragraphs: string[]) => textFile("harbour.jsonl", JSON.stringify({ id: "harbour-lighthouse", title: "Harbour council approves the lighthouse budget", paragraphs }));

describe("answer receipts", () => {
  it("records an answer with its cited paragraphs and says which one no longer reads the same after a correction", async () => {
    const { lib, dir, cleanup } = await tempLibrary();
    try {
      await lib.ingest([record(HARBOUR)]);
      const answer = await ask(lib, "How much is the lighthouse budget?");
      expect(answer.status).toBe("answered");
      const id = lib.recordAnswer(answer, { face: "discord", guildId: "g1", channelId: "c1", memberId: "123456789012345678" });
      expect(id).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{6}$/);

      const before = lib.receipt(id.toLowerCase())!;
      expect(before).toMatchObject({ id, question: answer.question, status: "answered", confidence: answer.confidence, method: "hybrid", face: "discord", guildId: "g1", channelId: "c1", unchanged: true });
      expect(before.member).toBe(lib.memberHash("123456789012345678"));
      expect(before.generation).toBeGreaterThan(0);
      expect(before.citations.map((c) => [c.articleId, c.paragraph, c.today])).toEqual([["harbour-lighthouse", 1, "same"]]);
      expect(before.citations[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      // Nothing else about the member: the raw id is nowhere in the store.
      const db = new Database(path.join(dir, "store.db"), { readonly: true });
      expect(JSON.stringify(db.prepare("SELECT * FROM receipts").all())).not.toContain("123456789012345678");
      db.close();

      // A corrected version of the same article: the cited paragraph now gives another figure.
      const corrected = [HARBOUR[0]!.replace("4.2 million", "4.8 million"), HARBOUR[1]!, HARBOUR[2]!];
      expect((await lib.ingest([record(corrected)])).replaced).toEqual(["harbour-lighthouse"]);
      const after = lib.receipt(id)!;
      expect(after.unchanged).toBe(false);
      expect(after.citations.map((c) => [c.paragraph, c.today, c.quoteStillThere])).toEqual([[1, "changed", false]]);

      // A paragraph inserted before an unchanged cited one: the text is found where it is now.
      const second = await ask(lib, "What did the fishermen say about the tower?");
      const secondId = lib.recordAnswer(second, { face: "cli" });
      await lib.ingest([record([corrected[0]!, "A new paragraph.", corrected[1]!, corrected[2]!])]);
      expect(lib.receipt(secondId)!.citations.find((c) => c.paragraph === 3)).toMatchObject({ today: "moved", now: 4 });

      await lib.forget("harbour-lighthouse");
      expect(lib.receipt(id)!.citations[0]!.today).toBe("gone");
      expect(lib.receipt("R-000000")).toBeNull();
      expect(() => lib.receipt("not an id")).toThrow(ReceiptIdError);
    } finally {
      await cleanup();
    }
  });

  it("keeps ratings across restarts, once per member per answer, and prunes receipts after RECEIPT_RETENTION_DAYS", async () => {
    const { lib, dir, cleanup } = await tempLibrary();
    try {
      await lib.ingest([record(HARBOUR)]);
      const id = lib.recordAnswer(await lib.answer("Who is the councillor?"), { face: "discord", memberId: "u1" });
      lib.linkAnswerMessage(id, "message-1");
      await lib.close();
      const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
      try {
        expect(reopened.rateAnswer({ messageId: "message-1", helpful: false, by: "u2" })).toBe("recorded");
        expect(reopened.rateAnswer({ messageId: "message-1", helpful: true, by: "u2" })).toBe("already rated");
        expect(reopened.rateAnswer({ messageId: "message-2", helpful: true, by: "u2" })).toBe("unknown answer");
        expect(reopened.forgetMember("u2")).toBe(1);
        expect(reopened.rateAnswer({ messageId: "message-1", helpful: true, by: "u2" })).toBe("recorded");
      } finally {
        await reopened.close();
      }
      const db = new Database(path.join(dir, "store.db"));
      db.prepare("UPDATE receipts SET at = ?").run(new Date(Date.now() - 10 * 86_400_000).toISOString());
      db.close();
      const pruned = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0", RECEIPT_RETENTION_DAYS: "7" }, warn: () => {} });
      try {
        expect(pruned.receipt(id)).toBeNull();
      } finally {
        await pruned.close();
      }
    } finally {
      await cleanup().catch(() => {});
    }
  });

  it("upgrades a schema-3 store: feedback gains the receipt it rates, one rating per member per receipt", async () => {
    const { lib, dir, cleanup } = await tempLibrary();
    await lib.close();
    const old = new Database(path.join(dir, "store.db"));
    old.exec(`DROP TABLE feedback; CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, question TEXT NOT NULL, answer_json TEXT NOT NULL, helpful INTEGER NOT NULL, by TEXT NOT NULL);
      INSERT INTO feedback (at, question, answer_json, helpful, by) VALUES ('${new Date().toISOString()}', 'kept?', '{}', 1, 'm-1');
      UPDATE meta SET value = '3' WHERE key = 'schema_version';`);
    old.close();
    const reopened = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    await reopened.close();
    const db = new Database(path.join(dir, "store.db"));
    try {
      expect(db.prepare("SELECT question FROM feedback").pluck().all()).toEqual(["kept?"]);
      const insert = db.prepare("INSERT INTO feedback (at, question, answer_json, helpful, by, receipt_id) VALUES ('t', 'q', '{}', 1, 'm-2', 'R-AAAAAA')");
      insert.run();
      expect(() => insert.run()).toThrow(/UNIQUE/);
    } finally {
      db.close();
      await cleanup().catch(() => {});
    }
  });
});
