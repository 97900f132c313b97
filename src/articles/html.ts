/**
 * A saved news web page -> one article: metadata from the page's own tags, text from Readability's
 * extraction, and a plain paragraph walk when Readability finds nothing or the page is too large for
 * it to finish quickly. Every step's cost is bounded by the limits in limits.ts.
 */

import { Readability } from "@mozilla/readability";
import { createRequire } from "node:module";
import type { ParseResult, ParsedArticle } from "./types.ts";
import { normalizeDate } from "./dates.ts";
import { collectBlocks, dropFurniture, type DomNode } from "./html-blocks.ts";
import { prescanHtml } from "./html-prescan.ts";
import {
  MAX_HTML_CHARS,
  MAX_HTML_DEPTH,
  READABILITY_MAX_DEPTH_SUM,
  READABILITY_MAX_ELEMENTS,
} from "./limits.ts";
import { cleanOptional } from "./normalize.ts";
import { httpUrl } from "./url.ts";

/**
 * linkedom takes ~0.3-0.5 s to import, and only HTML needs it: it loads on first use, so that every
 * CLI start (and every bot start) does not pay for it.
 */
let linkedom: typeof import("linkedom") | null = null;
function parseHTML(html: string): ReturnType<typeof import("linkedom").parseHTML> {
  linkedom ??= createRequire(import.meta.url)("linkedom") as typeof import("linkedom");
  return linkedom.parseHTML(html);
}

/** The slice of linkedom's Document this module uses. */
interface Doc {
  documentElement: DomNode | null;
  body: DomNode | null;
  title: string;
}

export function parseHtml(raw: string, origin: string): ParseResult {
  const scan = prescanHtml(raw);
  if (scan.depth > MAX_HTML_DEPTH) {
    return fail(origin, `The page's tags are nested more than ${MAX_HTML_DEPTH} levels deep, which no real article page needs; save the article text as .txt or .md instead.`);
  }
  if (scan.html.length > MAX_HTML_CHARS) {
    const mb = (scan.html.length / 1024 / 1024).toFixed(1);
    return fail(origin, `The page has ${mb} MB of markup even without scripts and styles (limit ${MAX_HTML_CHARS / 1024 / 1024} MB); save just the article (e.g. the browser's "Reader view") or its text.`);
  }

  let doc: Doc;
  try {
    doc = loadDocument(scan.html);
  } catch {
    return fail(origin, "The HTML could not be parsed; open it in a browser, save the article text as .txt or .md, and upload that.");
  }

  const meta = readMetadata(doc, scan.jsonLd);
  let paragraphs: string[] = [];
  let readabilityMeta: { title?: string; byline?: string; siteName?: string; publishedTime?: string } = {};

  const size = measure(doc.documentElement);
  const readabilityAffordable = size.elements <= READABILITY_MAX_ELEMENTS && size.depthSum <= READABILITY_MAX_DEPTH_SUM;
  if (readabilityAffordable) {
    try {
      // serializer returns the node itself, so the extracted content is walked, not re-parsed.
      const result = new Readability<DomNode>(doc as never, { serializer: (n) => n as unknown as DomNode }).parse();
      if (result) {
        readabilityMeta = {
          title: result.title ?? undefined,
          byline: result.byline ?? undefined,
          siteName: result.siteName ?? undefined,
          publishedTime: result.publishedTime ?? undefined,
        };
        if (result.content) {
          paragraphs = dropFurniture(collectBlocks(result.content, "content"), {
            title: meta.title ?? readabilityMeta.title,
            author: meta.author ?? stripBy(readabilityMeta.byline),
          });
        }
      }
    } catch {
      // Readability gave up on this page; the paragraph walk below still reads it.
      paragraphs = [];
    }
  }

  if (paragraphs.length === 0) {
    // Readability edits the document it reads, so the fallback walks a fresh copy.
    const fresh = readabilityAffordable ? loadDocument(scan.html) : doc;
    if (fresh.body) {
      paragraphs = dropFurniture(collectBlocks(fresh.body, "fallback"), {
        title: meta.title ?? readabilityMeta.title,
        author: meta.author,
      });
    }
  }

  const article: ParsedArticle = { format: "html", paragraphs, origin };
  const title = meta.title ?? cleanOptional(readabilityMeta.title);
  const author = meta.author ?? cleanOptional(stripBy(readabilityMeta.byline));
  const outlet = meta.outlet ?? cleanOptional(readabilityMeta.siteName);
  const published = meta.published ?? (readabilityMeta.publishedTime ? normalizeDate(readabilityMeta.publishedTime) : undefined);
  if (title) article.title = title;
  if (meta.url) article.url = meta.url;
  if (outlet) article.outlet = outlet;
  if (author) article.author = author;
  if (published) article.published = published;
  return { articles: [article], errors: [] };
}

function fail(where: string, reason: string): ParseResult {
  return { articles: [], errors: [{ where, reason }] };
}

function loadDocument(html: string): Doc {
  // linkedom only builds <html>/<body> when the markup has them; fragments get a wrapper.
  const full = /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  return (parseHTML(full) as unknown as { document: Doc }).document;
}

/** Element count and the sum of element depths, the two things Readability's run time follows. */
function measure(root: DomNode | null): { elements: number; depthSum: number } {
  let elements = 0;
  let depthSum = 0;
  if (!root) return { elements, depthSum };
  const stack: [DomNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.nodeType !== 1) continue;
    elements++;
    depthSum += depth;
    if (elements > READABILITY_MAX_ELEMENTS || depthSum > READABILITY_MAX_DEPTH_SUM) break; // over budget either way
    for (let c = node.firstChild; c; c = c.nextSibling) stack.push([c, depth + 1]);
  }
  return { elements, depthSum };
}

interface PageMeta {
  title?: string;
  url?: string;
  outlet?: string;
  author?: string;
  published?: string;
}

function readMetadata(doc: Doc, jsonLdBodies: string[]): PageMeta {
  const tags = collectMetaTags(doc.documentElement);
  const tag = (key: string) => cleanOptional(tags.get(key));
  const first = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v !== "");
  const ld = readJsonLd(jsonLdBodies);

  const outlet = first(tag("og:site_name"), ld.publisher, tag("application-name"));
  const ogUrl = httpUrl(tag("og:url"));
  const url = first(httpUrl(tag("link:canonical"), ogUrl), ogUrl, httpUrl(ld.url));

  const titleTag = cleanOptional(doc.title);
  const title = first(tag("og:title"), tag("twitter:title"), titleTag ? stripSiteName(titleTag, outlet) : undefined, cleanOptional(ld.headline));

  const personal = (v: string | undefined) => (v && !httpUrl(v) ? stripBy(v) : undefined);
  const author = first(personal(tag("author")), personal(tag("article:author")), ld.author);

  const dates = [
    tag("article:published_time"),
    tag("itemprop:datepublished"),
    ld.datePublished,
    tag("pubdate"),
    tag("publishdate"),
    tag("date"),
    tag("dc.date"),
    tag("dc.date.issued"),
    tag("time:datepublished"),
    tag("time"),
  ];
  const published = first(...dates.map((d) => (d ? normalizeDate(d) : undefined)));

  const out: PageMeta = {};
  if (title) out.title = title;
  if (url) out.url = url;
  if (outlet) out.outlet = outlet;
  if (author) out.author = author;
  if (published) out.published = published;
  return out;
}

/**
 * <meta name|property|itemprop> contents, <link rel=canonical> and <time datetime>, first of each
 * key, in one walk. (linkedom's querySelector walks the whole document per call; a dozen of them
 * cost more than reading the page.) Keys are lower case: "og:title", "author", "link:canonical",
 * "itemprop:datepublished", "time", "time:datepublished".
 */
function collectMetaTags(root: DomNode | null): Map<string, string> {
  const found = new Map<string, string>();
  const put = (key: string | null | undefined, value: string | null | undefined) => {
    if (!key || !value) return;
    const k = key.trim().toLowerCase();
    if (!found.has(k)) found.set(k, value);
  };
  const stack: DomNode[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType !== 1) continue;
    const get = (name: string) => node.getAttribute?.(name) ?? null;
    const tag = node.nodeName.toUpperCase();
    if (tag === "META") {
      const content = get("content");
      put(get("property"), content);
      put(get("name"), content);
      const itemprop = get("itemprop");
      if (itemprop) put(`itemprop:${itemprop}`, content);
    } else if (tag === "LINK" && /(?:^|\s)canonical(?:\s|$)/i.test(get("rel") ?? "")) {
      put("link:canonical", get("href"));
    } else if (tag === "TIME") {
      const datetime = get("datetime");
      put("time", datetime);
      if (/datepublished/i.test(get("itemprop") ?? "")) put("time:datepublished", datetime);
    }
    const kids: DomNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) kids.push(c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return found;
}

/** "Headline | Site", "Site - Headline" -> "Headline", when the site's name is known. */
function stripSiteName(title: string, site: string | undefined): string {
  if (!site) return title;
  const sep = String.raw`\s+[|\-–—:·•]\s+`;
  const escaped = site.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const stripped = title.replace(new RegExp(`(?:${sep})${escaped}$`, "i"), "").replace(new RegExp(`^${escaped}(?:${sep})`, "i"), "");
  return stripped.trim() === "" ? title : stripped.trim();
}

function stripBy(byline: string | undefined): string | undefined {
  return byline?.replace(/^\s*by\s+/i, "").trim() || undefined;
}

interface LdMeta {
  headline?: string;
  author?: string;
  publisher?: string;
  datePublished?: string;
  url?: string;
}

const ARTICLE_TYPE = /Article|Posting|Report|NewsArticle|BlogPosting/;

/** schema.org article metadata from JSON-LD blocks; only the top level and @graph are looked at. */
function readJsonLd(bodies: string[]): LdMeta {
  for (const body of bodies) {
    let data: unknown;
    try {
      data = JSON.parse(body.replace(/^\s*(?:<!\[CDATA\[|\/\/\s*<!\[CDATA\[)/, "").replace(/(?:\]\]>|\/\/\s*\]\]>)\s*$/, "").trim().replace(/;$/, ""));
    } catch {
      continue;
    }
    const candidates: unknown[] = Array.isArray(data) ? data : [data];
    for (const c of [...candidates]) {
      if (isRecord(c) && Array.isArray(c["@graph"])) candidates.push(...(c["@graph"] as unknown[]));
    }
    for (const c of candidates) {
      if (!isRecord(c)) continue;
      const type = c["@type"];
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => typeof t === "string" && ARTICLE_TYPE.test(t))) continue;
      const out: LdMeta = {};
      const headline = str(c.headline) ?? str(c.name);
      if (headline) out.headline = headline;
      const author = names(c.author);
      if (author) out.author = author;
      const publisher = names(c.publisher);
      if (publisher) out.publisher = publisher;
      const date = str(c.datePublished) ?? str(c.dateCreated);
      if (date) out.datePublished = date;
      const url = str(c.url) ?? str(c.mainEntityOfPage) ?? (isRecord(c.mainEntityOfPage) ? str(c.mainEntityOfPage["@id"]) : undefined);
      if (url) out.url = url;
      return out;
    }
  }
  return {};
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? cleanOptional(v) : undefined;
}

/** A schema.org Person/Organization, a string, or a list of either -> "A, B". */
function names(v: unknown): string | undefined {
  const list = Array.isArray(v) ? v : [v];
  const out = list
    .slice(0, 10)
    .map((x) => (typeof x === "string" ? cleanOptional(x) : isRecord(x) ? str(x.name) : undefined))
    .filter((x): x is string => x !== undefined && !httpUrl(x));
  return out.length > 0 ? out.join(", ") : undefined;
}
