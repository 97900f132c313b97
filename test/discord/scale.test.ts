import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import type { Library } from "../../src/library-types.ts";
import { expectCleanTrafficAfterEach, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const ARTICLES = 100_000;

/**
 * 100k article rows written straight into the store (embedding 100k articles would take the test
 * minutes; autocomplete, /articles and look-ups read only the articles table). Before the listing
 * was indexed each autocomplete read and sorted every row, ~450 ms at this size, and a member
 * typing at 100 ms per key made most interactions, other members' /ask among them, miss Discord's
 * 3-second deadline.
 */
function addArticleRows(dir: string): void {
  const db = new Database(path.join(dir, "store.db"));
  const generation = Number(db.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck().get());
  const insert = db.prepare(
    `INSERT INTO articles (id, title, url, outlet, author, published, dateline, format, content_hash, origin, ingested_at, generation, paragraph_count)
     VALUES (?, ?, NULL, 'Scale Wire', NULL, ?, NULL, 'json', ?, 'scale.jsonl', '2026-01-01T00:00:00Z', ?, 1)`,
  );
  db.transaction(() => {
    for (let i = 0; i < ARTICLES; i++) {
      const published = i % 10 === 0 ? null : `20${10 + (i % 16)}-0${1 + (i % 9)}-1${i % 10}`;
      insert.run(`scale-${i}`, `Regional bulletin ${i} on roads, schools and weather in district ${i % 500}`, published, `h${i}`, generation);
    }
  })();
  db.close();
}

describe("look-ups at 100,000 articles (real discord.js against the fake)", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let bot: BotHandle;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "nq-scale-"));
    const seeded = await tempLibrary({ dataDir: dir });
    await seeded.lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    await seeded.lib.close();
    addArticleRows(dir);
    ({ lib, cleanup } = await tempLibrary({ dataDir: dir }));
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib, { lookupRateLimit: { count: 1000, windowMs: 60_000 } }));
  }, 120_000);
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers every autocomplete of a member typing fast, and other members' /ask, within Discord's deadline", async () => {
    const typist = fake.user({ username: "typist" });
    // Words no title holds make each key the worst case: the search walks every row.
    const typed = "zeppelin harbour wall ferry";
    const keys = [];
    const asks = [];
    for (let n = 1; n <= typed.length; n++) {
      keys.push(fake.autocomplete(typist, "ask", "article", typed.slice(0, n)));
      if (n % 5 === 0) asks.push(fake.slash(fake.user({ username: `reader-${n}` }), "ask", { question: "What did Peskov say about publicity?" }));
      await delay(100);
    }
    const last = await keys.at(-1)!.waitForChoices(10_000);
    expect(last).toEqual([]);
    const district = await fake.autocomplete(typist, "ask", "article", "district 42 bulletin").waitForChoices(10_000);
    expect(district.length).toBeGreaterThan(0);
    expect(district.every((c) => c.name.includes("42") && c.name.includes("district") && c.name.includes("bulletin"))).toBe(true);
    for (const h of keys) await h.waitForChoices(10_000);
    for (const h of asks) expect((await h.waitForEdit(undefined, 20_000)).embeds?.length ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it("pages /articles through the whole listing, dated newest first and the undated last", async () => {
    const reader = fake.user({ username: "lister" });
    const first = await fake.slash(reader, "articles", {}).waitForCallback();
    expect(first.data?.embeds?.[0]?.title).toBe(`Coverage: ${ARTICLES + 1} articles, newest first by publication date, ${ARTICLES / 10} undated last`);
    const last = await fake.slash(reader, "articles", { page: 10_001 }).waitForCallback();
    expect(last.data?.embeds?.[0]?.footer?.text).toMatch(/^Page 10001 of 10001/);
    expect(last.data?.embeds?.[0]?.description).toContain("undated");
    expect(lib.articlePage(1, 10).articles[0]!.published! >= lib.articlePage(2, 10).articles[0]!.published!).toBe(true);
  }, 60_000);
});
