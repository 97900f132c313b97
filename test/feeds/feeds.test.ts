import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FeedError } from "../../src/library.ts";
import type { Library } from "../../src/library-types.ts";
import { articlePage, FeedServer, fullText } from "../support/feed-server.ts";
import { ask, tempLibrary } from "../support/library.ts";

const CLI = { by: "cli", guildId: null, channelId: null };
const ENV = { FETCH_ALLOW_PRIVATE_HOSTS: "true" };

const FERRY = [
  "The island ferry will run twice a day from next Monday, the port authority said on Tuesday.",
  "The second crossing leaves the harbour at 6 p.m. and returns before midnight, according to the new timetable.",
  "Fares stay at 12 euros for adults, and children under 12 travel free, the authority added.",
  "Residents had asked for an evening crossing for years, saying the single morning boat left them stranded on the mainland.",
];
const LIGHTHOUSE = [
  "The harbour council approved 4.2 million euros for the restoration of the Skerry Point lighthouse on Monday evening.",
  "Work on the lamp room will start in May and should take about eight months, the council's engineer said.",
  "The lighthouse has been dark since a storm damaged its lantern two winters ago.",
];

describe("following feeds", () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await new FeedServer().start();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.raw.clear();
    server.format = "rss";
    server.items = [
      { guid: "ferry-1", title: "Evening ferry to start on Monday", path: "/news/ferry", published: "2026-12-01T08:00:00Z", description: "A second crossing.", content: fullText(FERRY) },
      { guid: "lighthouse-1", title: "Council approves lighthouse budget", path: "/news/lighthouse", published: "2026-11-30T18:00:00Z", description: "Skerry Point.", page: articlePage("Council approves lighthouse budget", LIGHTHOUSE) },
    ];
  });

  async function withLibrary(fn: (lib: Library) => Promise<void>, dir?: string) {
    const t = await tempLibrary({ env: ENV, ...(dir ? { dataDir: dir } : {}) });
    try {
      await fn(t.lib);
    } finally {
      await t.cleanup();
    }
  }

  it("takes each item's article from the feed's full text or its page, skips what it has seen, asks conditionally, and follows an edited item", async () => {
    await withLibrary(async (lib) => {
      const { feed, existed, first } = await lib.feeds.add(server.feedUrl, CLI);
      expect(existed).toBe(false);
      expect(feed.title).toBe("Harbour Gazette");
      expect(first!.added.map((a) => a.title).sort()).toEqual(["Council approves lighthouse budget", "Evening ferry to start on Monday"]);
      // Only the link-only item's page was fetched; the ferry story came from content:encoded.
      expect(server.requests.map((r) => r.path)).toContain("/news/lighthouse");
      expect(server.requests.map((r) => r.path)).not.toContain("/news/ferry");
      const ferry = lib.articles().find((a) => a.title.startsWith("Evening ferry"))!;
      expect(ferry.url).toBe(`${server.base}/news/ferry`);
      expect(ferry.outlet).toBe("Harbour Gazette");
      expect(ferry.published).toMatch(/^2026-12-01/);
      expect((await ask(lib, "what are the ferry fares for children?")).quotes.map((q) => q.text).join(" ")).toContain("children under 12 travel free");

      // Same feed again: the server answers 304 to the validators it gave.
      const again = await lib.feeds.add(server.feedUrl, CLI);
      expect(again.existed).toBe(true);
      expect(lib.feeds.list()).toHaveLength(1);
      const [unchanged] = await pollNow(lib);
      expect(unchanged!.outcome).toBe("not-modified");
      expect(server.feedRequests().at(-1)!.headers["if-none-match"]).toMatch(/^"/);

      // A correction to the ferry story: the item's article is replaced, not duplicated.
      server.items[0]!.content = fullText(FERRY.map((p) => p.replace("12 euros", "14 euros")));
      const [edited] = await pollNow(lib);
      expect(edited!.outcome).toBe("new");
      expect(edited!.updated.map((u) => u.id)).toEqual([ferry.id]);
      expect(edited!.added).toEqual([]);
      expect(lib.articles()).toHaveLength(2);
      const quoted = (await ask(lib, "what are the ferry fares for adults?")).quotes.map((q) => q.text).join(" ");
      expect(quoted).toContain("14 euros");
      expect(quoted).not.toContain("12 euros for adults");
    });
  });

  it("resumes after a restart from what it has seen", async () => {
    const t = await tempLibrary({ env: ENV });
    await t.lib.feeds.add(server.feedUrl, CLI);
    await t.lib.close();
    await withLibrary(async (lib) => {
      expect(lib.feeds.list()[0]!.articles).toBe(2);
      server.items.push({ guid: "pier-1", title: "Pier repairs finished", path: "/news/pier", page: articlePage("Pier repairs finished", ["The north pier reopened to walkers on Friday after three months of repairs, the council said.", "Anglers will be allowed back from next week."]) });
      const [report] = await pollNow(lib);
      expect(report!.added.map((a) => a.title)).toEqual(["Pier repairs finished"]);
      expect(lib.articles()).toHaveLength(3);
    }, t.dir);
  });

  it("refuses what is not a followable feed with a message that says what to do, and stores nothing", async () => {
    server.raw.set("/broken.xml", { status: 200, headers: { "content-type": "application/rss+xml" }, body: "<rss><channel><title>x</title><item><title>a</channel></rss>" });
    server.raw.set("/front-page", {
      status: 200,
      headers: { "content-type": "text/html" },
      body: `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><p>Front page</p></body></html>`,
    });
    server.raw.set("/down.xml", { status: 500, body: "oops" });
    await withLibrary(async (lib) => {
      await expect(lib.feeds.add(`${server.base}/broken.xml`, CLI)).rejects.toThrow(/XML is broken at line 1/);
      await expect(lib.feeds.add(`${server.base}/front-page`, CLI)).rejects.toThrow(new RegExp(`web page, not a feed.*${server.base}/feed.xml`));
      await expect(lib.feeds.add(`${server.base}/missing.xml`, CLI)).rejects.toThrow(/HTTP 404 \(not found\): check the address/);
      await expect(lib.feeds.add(`${server.base}/down.xml`, CLI)).rejects.toThrow(/HTTP 500/);
      await expect(lib.feeds.add("ftp://example.org/feed", CLI)).rejects.toThrow(FeedError);
      expect(lib.feeds.list()).toEqual([]);
      expect(lib.articles()).toEqual([]);
    });
  });

  it("refuses a feed on a private address unless the testing-only setting allows it", async () => {
    const t = await tempLibrary();
    try {
      await expect(t.lib.feeds.add(server.feedUrl, CLI)).rejects.toThrow(/private network address/);
      expect(t.lib.feeds.list()).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it("backs a failing feed off instead of retrying it, keeps what it brought, and flags the third failure in a row for moderators", async () => {
    await withLibrary(async (lib) => {
      await lib.feeds.add(server.feedUrl, CLI);
      const waits: number[] = [];
      const flagged: boolean[] = [];
      server.raw.set("/feed.xml", { status: 503, headers: { "retry-after": "120" }, body: "busy" });
      for (let k = 0; k < 4; k++) {
        const [report] = await pollNow(lib);
        expect(report!.outcome).toBe("failed");
        expect(report!.error).toMatch(/HTTP 503/);
        waits.push(Date.parse(report!.feed.nextPollAt) - Date.parse(report!.feed.lastPollAt!));
        flagged.push(report!.report);
      }
      // 15 min, 30, 1 h, 2 h: doubling from the interval, never sooner than Retry-After.
      expect(waits.map((ms) => Math.round(ms / 60_000))).toEqual([15, 30, 60, 120]);
      expect(flagged).toEqual([false, false, true, false]);
      expect(lib.feeds.list()[0]!.failures).toBe(4);
      expect(lib.articles()).toHaveLength(2);
      // Not due yet: a poll of due feeds leaves it alone.
      expect(await lib.feeds.pollDue()).toEqual([]);
    });
  });

  it("takes a 50,000-item feed a bounded number at a time, once per guid, and says what it skipped", async () => {
    server.items = Array.from({ length: 50_000 }, (_, k) => ({ guid: `g${k}`, title: `Notice ${k}`, description: `Harbour notice number ${k}: the tide table for day ${k} is posted at the harbour office.` }));
    server.items.splice(1, 0, { guid: "g0", title: "Notice 0 again", description: "A repeat." });
    server.items.splice(2, 0, { guid: "no-text", title: "" });
    await withLibrary(async (lib) => {
      const { first, feed } = await lib.feeds.add(server.feedUrl, CLI);
      expect(first!.duplicates).toBe(1);
      expect(first!.added).toHaveLength(24);
      expect(first!.skipped).toEqual([{ item: "no-text", reason: expect.stringMatching(/neither a link nor any text/) }]);
      // 50,002 items listed, one a repeated guid: 50,001 to take, 25 now.
      expect(feed.backlog).toBe(50_001 - 25);
      // Items without a link or date are articles all the same, and say they are undated.
      expect(lib.articles().every((a) => a.published === null)).toBe(true);
      const [next] = await pollNow(lib);
      expect(next!.added).toHaveLength(25);
      expect(lib.articles()).toHaveLength(49);
    });
  }, 120_000);

  it("skips an item whose page is not an article, with the reason, and takes the rest", async () => {
    server.items.push({ guid: "gallery", title: "Photos of the week", path: "/gallery", page: "<!doctype html><html><head><title>Gallery</title></head><body><nav><a href='/'>Home</a></nav></body></html>" });
    server.items.push({ guid: "gone", title: "A removed story", path: "/removed" });
    // Its page is gone too, but the feed says something of its own: that is the article.
    server.items.push({ guid: "tides", title: "Winter tide tables", path: "/tides", description: "The winter tide tables are posted at the harbour office from Monday, the harbour master said." });
    await withLibrary(async (lib) => {
      const { first } = await lib.feeds.add(server.feedUrl, CLI);
      expect(first!.added.map((a) => a.title).sort()).toEqual(["Council approves lighthouse budget", "Evening ferry to start on Monday", "Winter tide tables"]);
      expect(first!.skipped.map((s) => s.item).sort()).toEqual(["A removed story", "Photos of the week"]);
      // Not fetched again on the next poll: its refusal is remembered.
      server.items.push({ guid: "new", title: "Harbour fair", path: "/fair", page: articlePage("Harbour fair", ["The harbour fair returns on Saturday with forty stalls and a brass band, the organisers said."]) });
      const before = server.requests.filter((r) => r.path === "/gallery").length;
      const [report] = await pollNow(lib);
      expect(report!.added.map((a) => a.title)).toEqual(["Harbour fair"]);
      expect(server.requests.filter((r) => r.path === "/gallery").length).toBe(before);
    });
  });

  it("reads Atom feeds too", async () => {
    server.format = "atom";
    await withLibrary(async (lib) => {
      const { first } = await lib.feeds.add(server.feedUrl, CLI);
      expect(first!.added).toHaveLength(2);
      expect(lib.feeds.remove(lib.feeds.list()[0]!.id)).toBe(true);
      expect(lib.feeds.list()).toEqual([]);
      // The articles it brought stay in the coverage.
      expect(lib.articles()).toHaveLength(2);
    });
  });
});

/** Polls every feed now, whatever its schedule: what the next scheduled poll would do. */
async function pollNow(lib: Library) {
  return lib.feeds.pollDue({ all: true });
}
