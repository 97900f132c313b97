import path from "node:path";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { MAX_GAP_QUESTIONS } from "../../src/library.ts";
import { groupGaps } from "../../src/receipts/gaps.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

/**
 * What a community channel asks in a week, as members type it, about the bundled story (Ukraine
 * talks) and much it does not cover. Five are answered by the story; the rest are not.
 */
const WEEK_OF_QUESTIONS = [
  "what's the weather like in lisbon",
  "lisbon weather tomorrow?",
  "is it going to rain in Lisbon this weekend",
  "who is zelensky's wife",
  "is Zelenskiy's wife Olena in the news",
  "what does zelenskyy wife do",
  "bitcoin price today",
  "why did bitcoin crash",
  "how high are oil prices",
  "any news on the gaza ceasefire",
  "is the ceasefire in gaza holding",
  "who won the champions league final",
  "champions league final score??",
  "will energy bills go up in january",
  "how much are energy bills rising",
  "What did Peskov say about publicity?",
  "how many points were in the leaked draft",
  "where are witkoff and kushner meeting the ukrainians",
  "who is witkoff",
  "did zelenskiy's chief of staff resign",
  "when is the next election in france",
  "did the ferry strike end",
  "lol",
  "whats the latest on the nato summit",
  "what did nato say about ukraine",
];

describe("gaps: what the community asked that the coverage did not answer", () => {
  let lib: Library;
  let dir: string;
  let cleanup: () => Promise<void>;
  const statuses = new Map<string, string>();

  beforeAll(async () => {
    ({ lib, dir, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    for (const q of WEEK_OF_QUESTIONS) {
      const answer = await lib.answer(q);
      statuses.set(q, answer.status);
      lib.recordAnswer(answer, { face: "discord", guildId: "g1", channelId: "c1", memberId: "u1" });
    }
  });
  afterAll(() => cleanup());

  it("groups a week of declined and closest-tier questions by shared key terms, one spelling per name, answered ones left out", async () => {
    const unanswered = WEEK_OF_QUESTIONS.filter((q) => statuses.get(q) !== "answered");
    // The story answers what it covers and nothing else: the list below depends on it.
    expect(WEEK_OF_QUESTIONS.filter((q) => statuses.get(q) === "answered")).toEqual(WEEK_OF_QUESTIONS.slice(15, 20));
    const report = await lib.gaps({ days: 7 });
    expect(report).toMatchObject({ days: 7, unanswered: unanswered.length, read: unanswered.length });
    const topics = report.gaps.map((g) => [g.terms.join(", "), g.count, g.declined, g.notHelpful]);
    expect(topics.slice(0, 2)).toEqual([
      // Zelensky, Zelenskiy's and zelenskyy: one name, so one topic.
      ["wife, zelenskiy", 3, 3, 0],
      ["lisbon, weather", 3, 3, 0],
    ]);
    expect(topics).toContainEqual(["ceasefire, gaza", 2, 2, 0]);
    expect(topics).toContainEqual(["champions, final, league", 2, 2, 0]);
    expect(topics).toContainEqual(["bills, energy", 2, 2, 0]);
    expect(topics).toContainEqual(["nato", 2, 2, 0]);
    // "lol" says nothing; no topic comes from an answered question.
    expect(report.gaps.flatMap((g) => g.terms)).not.toContain("lol");
    expect(report.gaps.flatMap((g) => g.terms)).not.toContain("peskov");
    const lisbon = report.gaps.find((g) => g.terms[0] === "lisbon" || g.terms[1] === "lisbon")!;
    expect(["what's the weather like in lisbon", "lisbon weather tomorrow?"]).toContain(lisbon.example);
    expect(Date.parse(lisbon.lastAsked)).toBeGreaterThan(Date.now() - 60_000);
    expect(report.gaps.length).toBeLessThanOrEqual(25);
    expect((await lib.gaps({ days: 7, limit: 3 })).gaps.map((g) => g.terms.join(", "))).toEqual(topics.slice(0, 3).map((t) => t[0]));
  });

  it("looks back only the days asked for, 1 to 365", async () => {
    const db = new Database(path.join(dir, "store.db"));
    db.prepare("UPDATE receipts SET at = ? WHERE question LIKE '%lisbon%' COLLATE NOCASE").run(new Date(Date.now() - 10 * 86_400_000).toISOString());
    db.close();
    expect((await lib.gaps({ days: 7 })).gaps.some((g) => g.terms.includes("lisbon"))).toBe(false);
    expect((await lib.gaps({ days: 30 })).gaps.find((g) => g.terms.includes("lisbon"))?.count).toBe(3);
    await expect(lib.gaps({ days: 0 })).rejects.toThrow(RangeError);
    await expect(lib.gaps({ days: 366 })).rejects.toThrow(RangeError);
  });

  it("groups at most the latest MAX_GAP_QUESTIONS, and says how many there were", async () => {
    const db = new Database(path.join(dir, "store.db"));
    const insert = db.prepare("INSERT INTO receipts (id, at, question, status, confidence, generation, method, face, answer_json) VALUES (?, ?, ?, 'not_found', 0.1, 1, 'hybrid', 'cli', '{}')");
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < MAX_GAP_QUESTIONS; i++) insert.run(`R-T${String(i).padStart(5, "0")}`, new Date(now - 3_600_000 - i).toISOString(), `when does the tram depot reopen zone ${i}`);
    })();
    db.close();
    const report = await lib.gaps({ days: 7 });
    expect(report.read).toBe(MAX_GAP_QUESTIONS);
    expect(report.unanswered).toBeGreaterThan(MAX_GAP_QUESTIONS);
    // The latest come first: the week's own questions are all read, and the depot's fill the rest.
    expect(report.gaps[0]).toMatchObject({ terms: ["depot", "reopen", "tram", "zone"], count: 2 * MAX_GAP_QUESTIONS - report.unanswered });
    expect(report.gaps.find((g) => g.terms.includes("wife"))?.count).toBe(3);
  });

  it("names a topic by the term the coverage uses least when two are held equally often", () => {
    const at = "2026-12-01T10:00:00.000Z";
    const asked = ["bitcoin price today", "why did bitcoin crash", "how high are oil prices"].map((question) => ({ question, at, kind: "declined" as const }));
    // In a business archive "price" is in many paragraphs and "bitcoin" in few.
    const inCoverage = new Map([["price", 40], ["oil", 12], ["bitcoin", 1]]);
    const gaps = groupGaps(asked, 10, (key) => inCoverage.get(key) ?? 0);
    expect(gaps.map((g) => [g.terms.join(", "), g.count])).toEqual([["bitcoin", 2], ["high, oil, prices", 1]]);
  });
});
