// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader (tsx) of the
// process that starts it. A worker at all because parsing is one synchronous call: a 50,000-item
// (15 MB) RSS feed took 2.0 s of @rowanmanning/feed-parser and 0.5 s of validation, which on the
// bot's thread would freeze every answer for as long (measured, see src/feeds/parse.ts).
import { parentPort, workerData } from "node:worker_threads";
import { XMLValidator } from "fast-xml-parser";
import { parseFeed } from "@rowanmanning/feed-parser";

const AUTHORS_UP_TO = 500;
const HTML = /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>])/i;

/** The encoding an XML declaration names, when the decoder knows it; UTF-8 otherwise (the XML default). */
function decode(bytes) {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  const named = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  try {
    return new TextDecoder(named ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** The feed links a web page advertises (<link rel="alternate" type="application/rss+xml" href>). */
function alternates(html, base) {
  const out = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if (!/\brel\s*=\s*["']?alternate\b/i.test(tag) || !/\btype\s*=\s*["']?application\/(rss|atom)\+xml/i.test(tag)) continue;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const raw = href?.[1] ?? href?.[2] ?? href?.[3];
    if (!raw) continue;
    try {
      out.push(new URL(raw.replace(/&amp;/g, "&"), base).toString());
    } catch {
      // a link that is not an address is no help
    }
    if (out.length === 3) break;
  }
  return out;
}

const iso = (date) => (date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null);

function parse({ bytes, url }) {
  const text = decode(bytes);
  if (text.trim() === "") return { ok: false, kind: "empty" };
  if (HTML.test(text)) return { ok: false, kind: "html", alternates: alternates(text, url) };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, kind: "malformed", message: valid.err.msg, line: valid.err.line };
  let feed;
  try {
    feed = parseFeed(text);
  } catch {
    return { ok: false, kind: "not-feed" };
  }
  // RSS <ttl> (minutes) is not in the parser's model; it is how a feed says how often to come back.
  const channelHead = text.slice(0, Math.max(0, text.search(/<(item|entry)[\s>]/i)) || 4000);
  const ttl = /<ttl>\s*(\d+)\s*<\/ttl>/i.exec(channelHead);
  // An item's authors cost time in proportion to the whole document (the parser falls back to the
  // feed's): 2,000 items took 1.9 s for authors alone and 50,000 would take hours. Pages name their
  // own authors; a feed's items keep theirs up to AUTHORS_UP_TO.
  const withAuthors = feed.items.length <= AUTHORS_UP_TO;
  return {
    ok: true,
    feed: {
      title: feed.title,
      url: feed.url,
      ttlMinutes: ttl ? Number(ttl[1]) : null,
      items: feed.items.map((i) => ({
        id: i.id,
        title: i.title,
        url: i.url,
        published: iso(i.published),
        updated: iso(i.updated),
        description: i.description,
        content: i.content,
        authors: withAuthors ? i.authors.map((a) => a.name).filter(Boolean) : [],
      })),
    },
  };
}

parentPort.postMessage(parse(workerData));
