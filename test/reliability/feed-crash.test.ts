/**
 * Crash safety of a feed poll: a real `npm run feeds -- poll` child process is killed with SIGKILL
 * while it takes a feed's items; each time every article is whole or absent (the checks of the
 * ingest crash test), and a restarted poll resumes from what was seen, taking the rest once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleId } from "../../src/articles/identity.ts";
import { FeedServer, fullText } from "../support/feed-server.ts";
import { committedArticles, expectWholeOrAbsent, generateArticles, mulberry32, runNode, startNode, type GeneratedArticle } from "./support.ts";

const ITEMS = 150;
const FEEDS = "src/cli/feeds.ts";
const ENV = { FETCH_ALLOW_PRIVATE_HOSTS: "true", FEEDS_ITEMS_PER_POLL: String(ITEMS) };

describe("a feed poll killed at random moments", () => {
  let server: FeedServer;
  let work: string;
  let dataDir: string;
  let expected: GeneratedArticle[];

  beforeAll(async () => {
    server = await new FeedServer().start();
    const generated = generateArticles(ITEMS, 11, { prefix: "fd" });
    server.items = generated.map((a, i) => ({ guid: a.id, title: a.title, path: `/news/${a.id}`, published: "2026-11-30T12:00:00Z", content: fullText([`Dispatch ${i} opens with its own line about the coast road works, which the county says will close the harbour road for most of the winter.`, ...a.paragraphs]) }));
    // What each item becomes: the article of its link, with the paragraphs of its full text.
    expected = server.items.map((item) => {
      const paragraphs = item.content!.split("\n").map((p) => p.replace(/<\/?p>/g, ""));
      return { id: articleId(undefined, `${server.base}${item.path}`, paragraphs), title: item.title, paragraphs };
    });
    work = mkdtempSync(path.join(tmpdir(), "nq-feed-crash-"));
    dataDir = path.join(work, "data");
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("leaves every article whole or absent and the feed's state consistent, and a restarted poll takes the rest once", { timeout: 240_000 }, async () => {
    // Followed first with nothing in it yet, so that the kills land in polls.
    const items = server.items;
    server.items = [];
    const added = await runNode(FEEDS, ["--data-dir", dataDir, "add", server.feedUrl], ENV);
    expect(added.code, added.stderr).toBe(0);
    server.items = items;

    const rand = mulberry32(20261203);
    const history: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const before = committedArticles(dataDir);
      const target = before + Math.max(1, Math.floor((0.1 + 0.5 * rand()) * (ITEMS - before)));
      const { child, done } = startNode(FEEDS, ["--data-dir", dataDir, "poll", "--all"], ENV);
      await new Promise<void>((resolve) => {
        const watch = setInterval(() => {
          if (committedArticles(dataDir) < target && child.exitCode === null) return;
          clearInterval(watch);
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, rand() * 80);
        }, 10);
      });
      await done;
      const present = await expectWholeOrAbsent(dataDir, expected);
      history.push(present.size);
      // What the feed's state says it took is stored: a seen item never lacks its article.
      expect(seenWithoutArticle(dataDir)).toBe(0);
      if (present.size === ITEMS) break;
    }
    expect(history.some((n) => n > 0 && n < ITEMS), JSON.stringify(history)).toBe(true);

    const rerun = await runNode(FEEDS, ["--data-dir", dataDir, "--json", "poll", "--all"], ENV, 120_000);
    expect(rerun.code, rerun.stderr).toBe(0);
    const [report] = JSON.parse(rerun.stdout) as { added: unknown[]; skipped: unknown[]; retry: unknown[] }[];
    expect(report!.skipped).toEqual([]);
    expect(report!.retry).toEqual([]);
    expect(report!.added.length).toBe(ITEMS - history.at(-1)!);
    expect((await expectWholeOrAbsent(dataDir, expected)).size).toBe(ITEMS);
    // And once more: everything was seen, nothing is taken again.
    const again = JSON.parse((await runNode(FEEDS, ["--data-dir", dataDir, "--json", "poll", "--all"], ENV)).stdout) as { outcome: string }[];
    expect(again[0]!.outcome).toBe("not-modified");
  });
});

function seenWithoutArticle(dataDir: string): number {
  const db = new Database(path.join(dataDir, "store.db"), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM feed_items f WHERE f.article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = f.article_id)").pluck().get() as number;
  } finally {
    db.close();
  }
}
