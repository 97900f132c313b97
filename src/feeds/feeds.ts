import { FeedFormatError } from "./parse.ts";
import { feedView, pollFeed, type PollContext } from "./poll.ts";
import type { Feed, PollReport } from "./types.ts";

/** A feed address that cannot be followed; the message says why and what to do. */
export class FeedError extends Error {
  override name = "FeedError";
}

/** Who added a feed, and where: its problems are reported in that channel. */
export interface FeedAdder {
  /** The moderator's keyed hash, or "cli". */
  by: string;
  guildId: string | null;
  channelId: string | null;
}

/** The feeds of a store, as the library offers them to every face. */
export interface Feeds {
  /** How often feeds are polled (FEEDS_POLL_MINUTES); a feed's own ttl / max-age can only make it rarer. */
  readonly intervalMs: number;
  /**
   * Follows a feed: polls it at once, and keeps it only when it could be read (the refusal says
   * why: not a feed, broken XML, not found, a private address...). An address already followed is
   * returned as it is, `existed` true.
   */
  add(url: string, adder: FeedAdder): Promise<{ feed: Feed; existed: boolean; first: PollReport | null }>;
  list(): Feed[];
  /** A followed feed by its number (as `list` shows it) or its address. */
  find(ref: string): Feed | undefined;
  /** Stops following a feed; the articles it brought stay. False when no such feed. */
  remove(id: number): boolean;
  /**
   * Polls every feed that is due (`all`: every feed, due or not, as `npm run feeds -- poll --all`),
   * one after another; a failing feed only delays its own next poll.
   */
  pollDue(options?: { all?: boolean }): Promise<PollReport[]>;
  /** When the next poll is due, or null with no feeds. */
  nextDue(): Date | null;
}

export function createFeeds(ctx: PollContext): Feeds {
  return {
    intervalMs: ctx.intervalMs,
    async add(raw, adder) {
      const url = feedAddress(raw);
      const { feed: row, existed } = ctx.feeds.add({ url, title: null, addedBy: adder.by, guildId: adder.guildId, channelId: adder.channelId, at: ctx.now().toISOString() });
      if (existed) return { feed: feedView(ctx.feeds, row), existed, first: null };
      const first = await pollFeed(ctx, row);
      if (first.outcome === "failed") {
        ctx.feeds.remove(row.id);
        throw new FeedError(`Not following it: ${first.error}`);
      }
      return { feed: first.feed, existed, first };
    },
    list: () => ctx.feeds.list().map((r) => feedView(ctx.feeds, r)),
    find(ref) {
      const trimmed = ref.trim().replace(/^#/, "");
      const row = /^\d+$/.test(trimmed) ? ctx.feeds.get(Number(trimmed)) : ctx.feeds.byUrl(safeAddress(trimmed) ?? trimmed);
      return row ? feedView(ctx.feeds, row) : undefined;
    },
    remove: (id) => ctx.feeds.remove(id),
    async pollDue(options = {}) {
      const reports: PollReport[] = [];
      for (const row of options.all ? ctx.feeds.list() : ctx.feeds.due(ctx.now().toISOString())) reports.push(await pollFeed(ctx, row));
      return reports;
    },
    nextDue() {
      const at = ctx.feeds.nextDue();
      return at ? new Date(at) : null;
    },
  };
}

/** The address as it is stored and compared: http(s), no fragment. */
function feedAddress(raw: string): string {
  const url = safeAddress(raw.trim());
  if (!url) throw new FeedError(`That is not a feed address: give the feed's full link, starting with https://.`);
  return url;
}

function safeAddress(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    url.hash = "";
    return url.toString();
  } catch {
    return null;
  }
}

export { FeedFormatError };
