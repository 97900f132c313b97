/** Feeds as the faces see them: what is followed, how it is doing, and what a poll did. */

export interface Feed {
  id: number;
  url: string;
  /** The feed's own title, once it has been read. */
  title: string | null;
  addedAt: string;
  lastPollAt: string | null;
  lastOkAt: string | null;
  nextPollAt: string;
  /** Failed polls in a row. */
  failures: number;
  lastError: string | null;
  /** Articles it has brought in. */
  articles: number;
  /** New items waiting for later polls (each poll takes a bounded number). */
  backlog: number;
  /** Where it was added from (its problems are reported there). */
  channelId: string | null;
}

/** One feed entry as the parser read it, every field as the feed gave it (or null). */
export interface FeedEntry {
  id: string | null;
  title: string | null;
  url: string | null;
  published: string | null;
  updated: string | null;
  description: string | null;
  content: string | null;
  authors: string[];
}

export interface ParsedFeed {
  title: string | null;
  url: string | null;
  /** RSS <ttl>: the feed asks not to be polled more often than this. */
  ttlMinutes: number | null;
  items: FeedEntry[];
}

/** What one poll of one feed did, for the moderators' report and the log. */
export interface PollReport {
  feed: Feed;
  /** not-modified: a 304 (or the same bytes); failed: the feed could not be read (`error`). */
  outcome: "new" | "nothing new" | "not-modified" | "failed";
  error: string | null;
  added: { id: string; title: string }[];
  /** Articles an edited item replaced (a correction: see `Library.corrections`). */
  updated: { id: string; title: string }[];
  /** Items that did not become articles, and why (no link and no text, not an article page, ...). */
  skipped: { item: string; reason: string }[];
  /** Items that could not be fetched this time: tried again next poll. */
  retry: { item: string; reason: string }[];
  /** Items listed again under a guid already seen in the same feed document. */
  duplicates: number;
  /** True when this failure is the one moderators should hear about (the run of failures reached the threshold). */
  report: boolean;
}
