import { createHash } from "node:crypto";
import type { SourceFile } from "../articles/types.ts";
import type { FeedEntry, ParsedFeed } from "./types.ts";

/**
 * Below this much text, an item's content is a teaser, and the article is its link's page. Feeds
 * that carry whole articles (content:encoded, Atom content) carry hundreds of words; a teaser is a
 * sentence or two, and the description alone is always taken as one when the item has a link.
 */
export const FULL_CONTENT_CHARS = 200;

/** What to do with one item of a feed document. */
export interface ItemPlan {
  /** Its identity within the feed: the guid / Atom id, else its link, else a hash of what it says. */
  key: string;
  /** A hash of everything the item says: a different one for a seen key is an edit. */
  fingerprint: string;
  /** How a message names it: its title, else its link. */
  label: string;
  /** The article from the feed's own full text, or the page to fetch, or why neither. */
  take: { source: SourceFile } | { link: string; fallback: SourceFile | null } | { problem: string };
}

/** The feed's items, in the feed's order, once each (a guid listed twice is taken the first time). */
export function planItems(feed: ParsedFeed, feedUrl: string): { items: ItemPlan[]; duplicates: number } {
  const seen = new Set<string>();
  const items: ItemPlan[] = [];
  let duplicates = 0;
  for (const entry of feed.items) {
    const fingerprint = sha256(JSON.stringify([entry.title, entry.url, entry.content, entry.description, entry.published, entry.updated]));
    const key = entry.id?.trim() || entry.url?.trim() || `h-${fingerprint.slice(0, 24)}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const label = entry.title?.trim() || entry.url || key;
    items.push({ key, fingerprint, label: label.slice(0, 200), take: take(entry, feed, feedUrl, key) });
  }
  return { items, duplicates };
}

function take(entry: FeedEntry, feed: ParsedFeed, feedUrl: string, key: string): ItemPlan["take"] {
  const link = httpLink(entry.url, feedUrl);
  const body = entry.content ?? "";
  const full = textLength(body) >= FULL_CONTENT_CHARS && textLength(body) > textLength(entry.description ?? "");
  if (full || (!link && textLength(body || (entry.description ?? "")) > 0)) {
    return { source: itemPage(entry, body || entry.description!, feed, feedUrl, key, link) };
  }
  const short = body || entry.description || "";
  if (link) return { link, fallback: textLength(short) > 0 ? itemPage(entry, short, feed, feedUrl, key, link) : null };
  return { problem: "has neither a link nor any text, so there is no article to take" };
}

/** A relative or protocol-relative link resolved against the feed; only http(s). */
function httpLink(raw: string | null, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The item as a small HTML page with its metadata where pages carry it, so that it goes through
 * the same extraction and identity rules as a fetched page: the link is its canonical URL (the
 * same story fetched from its page later is the same article), the feed's title its outlet.
 */
function itemPage(entry: FeedEntry, body: string, feed: ParsedFeed, feedUrl: string, key: string, link: string | null): SourceFile {
  const meta = [
    entry.title ? `<title>${escape(entry.title)}</title>` : "",
    link ? `<link rel="canonical" href="${escape(link)}">` : "",
    entry.published || entry.updated ? `<meta property="article:published_time" content="${escape((entry.published ?? entry.updated)!)}">` : "",
    feed.title ? `<meta property="og:site_name" content="${escape(feed.title)}">` : "",
    entry.authors.length ? `<meta name="author" content="${escape(entry.authors.join(", "))}">` : "",
  ].join("");
  const heading = entry.title ? `<h1>${escape(entry.title)}</h1>` : "";
  const html = `<!doctype html><html><head><meta charset="utf-8">${meta}</head><body><article>${heading}${body}</article></body></html>`;
  const host = new URL(feedUrl).hostname;
  return { name: `${host}/feed-item-${sha256(key).slice(0, 16)}.html`, bytes: new TextEncoder().encode(html), ...(link ? { url: link } : {}) };
}

function textLength(html: string): number {
  return html.replace(/<[^>]*>/g, " ").replace(/&[a-z#0-9]+;/gi, " ").replace(/\s+/g, " ").trim().length;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
