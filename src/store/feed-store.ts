import type Database from "better-sqlite3";

/** A followed feed and where its poller stands. Times are ISO strings. */
export interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  addedAt: string;
  /** The moderator's keyed hash, or "cli". */
  addedBy: string;
  /** Where it was added from: its failures are reported there. */
  guildId: string | null;
  channelId: string | null;
  etag: string | null;
  lastModified: string | null;
  nextPollAt: string;
  lastPollAt: string | null;
  lastOkAt: string | null;
  /** Failed polls in a row (0 after a good one). */
  failures: number;
  lastError: string | null;
  /** New items the last poll left for later polls (it takes a bounded number each time). */
  backlog: number;
}

export interface FeedItemRow {
  key: string;
  fingerprint: string;
  articleId: string | null;
  problem: string | null;
}

const COLUMNS = `id, url, title, added_at AS addedAt, added_by AS addedBy, guild_id AS guildId, channel_id AS channelId, etag,
  last_modified AS lastModified, next_poll_at AS nextPollAt, last_poll_at AS lastPollAt, last_ok_at AS lastOkAt, failures,
  last_error AS lastError, backlog`;

/** The feeds and the items seen in them, beside the Store class as receipts are: one concern, its own SQL. */
export class FeedStore {
  constructor(private readonly db: Database.Database) {}

  /** The new feed, or the one already followed at that address. */
  add(feed: { url: string; title: string | null; addedBy: string; guildId: string | null; channelId: string | null; at: string }): { feed: FeedRow; existed: boolean } {
    const existing = this.byUrl(feed.url);
    if (existing) return { feed: existing, existed: true };
    const { lastInsertRowid } = this.db
      .prepare("INSERT INTO feeds (url, title, added_at, added_by, guild_id, channel_id, next_poll_at) VALUES (@url, @title, @at, @addedBy, @guildId, @channelId, @at)")
      .run(feed);
    return { feed: this.get(Number(lastInsertRowid))!, existed: false };
  }

  get(id: number): FeedRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM feeds WHERE id = ?`).get(id) as FeedRow | undefined;
  }

  byUrl(url: string): FeedRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM feeds WHERE url = ?`).get(url) as FeedRow | undefined;
  }

  list(): FeedRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM feeds ORDER BY id`).all() as FeedRow[];
  }

  /** Removes the feed and what was seen in it; the articles it brought stay in the coverage. */
  remove(id: number): boolean {
    return this.db.prepare("DELETE FROM feeds WHERE id = ?").run(id).changes > 0;
  }

  /** Feeds whose next poll is due at `now`, soonest first. */
  due(now: string): FeedRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM feeds WHERE next_poll_at <= ? ORDER BY next_poll_at`).all(now) as FeedRow[];
  }

  /** When the soonest poll is due, or null with no feeds. */
  nextDue(): string | null {
    return (this.db.prepare("SELECT MIN(next_poll_at) FROM feeds").pluck().get() as string | null) ?? null;
  }

  itemCount(feedId: number): number {
    return this.db.prepare("SELECT COUNT(*) FROM feed_items WHERE feed_id = ? AND article_id IS NOT NULL").pluck().get(feedId) as number;
  }

  /** The items already seen among `keys`, by key. */
  seen(feedId: number, keys: string[]): Map<string, FeedItemRow> {
    const out = new Map<string, FeedItemRow>();
    const read = this.db.prepare("SELECT key, fingerprint, article_id AS articleId, problem FROM feed_items WHERE feed_id = ? AND key = ?");
    for (const key of keys) {
      const row = read.get(feedId, key) as FeedItemRow | undefined;
      if (row) out.set(key, row);
    }
    return out;
  }

  /** Items taken (or refused for good) in one poll, and the feed's state after it, in one transaction. */
  recordPoll(feedId: number, items: (FeedItemRow & { at: string })[], state: Partial<Pick<FeedRow, "title" | "etag" | "lastModified" | "nextPollAt" | "lastPollAt" | "lastOkAt" | "failures" | "lastError" | "backlog">>): void {
    const upsert = this.db.prepare(
      `INSERT INTO feed_items (feed_id, key, fingerprint, article_id, problem, seen_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(feed_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, article_id = excluded.article_id, problem = excluded.problem, seen_at = excluded.seen_at`,
    );
    const columns: Record<keyof typeof state, string> = {
      title: "title",
      etag: "etag",
      lastModified: "last_modified",
      nextPollAt: "next_poll_at",
      lastPollAt: "last_poll_at",
      lastOkAt: "last_ok_at",
      failures: "failures",
      lastError: "last_error",
      backlog: "backlog",
    };
    const set = (Object.keys(state) as (keyof typeof state)[]).filter((k) => state[k] !== undefined);
    this.db.transaction(() => {
      for (const item of items) upsert.run(feedId, item.key, item.fingerprint, item.articleId, item.problem, item.at);
      if (set.length > 0) {
        this.db.prepare(`UPDATE feeds SET ${set.map((k) => `${columns[k]} = @${k}`).join(", ")} WHERE id = @id`).run({ ...Object.fromEntries(set.map((k) => [k, state[k]])), id: feedId });
      }
    })();
  }
}
