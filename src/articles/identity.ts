/**
 * ParsedArticle -> Article: the derived fields (id, title, hash) and the stored form of the text.
 * Ids must be stable across re-ingests, so that re-uploading an article replaces it instead of
 * duplicating it: a source id wins, then the URL, then the text itself.
 */

import { createHash } from "node:crypto";
import type { Article, ParsedArticle } from "./types.ts";
import { DERIVED_TITLE_CHARS, MAX_TITLE_CHARS } from "./limits.ts";
import { cleanOptional, cleanText, truncateAtWord } from "./normalize.ts";
import { splitSentences } from "./sentences.ts";
import { cleanUrl, identityUrl } from "./url.ts";

export function finalizeArticle(p: ParsedArticle): Article {
  const paragraphs = p.paragraphs.map(cleanText).filter((t) => t !== "");
  const url = p.url ? (cleanUrl(p.url) ?? cleanOptional(p.url) ?? null) : null;
  const sourceTitle = cleanOptional(p.title);
  const title = sourceTitle ? truncateAtWord(sourceTitle, MAX_TITLE_CHARS) : deriveTitle(paragraphs);
  const fields = {
    title,
    url,
    outlet: cleanOptional(p.outlet) ?? null,
    author: cleanOptional(p.author) ?? null,
    published: cleanOptional(p.published) ?? null,
    dateline: cleanOptional(p.dateline) ?? null,
  };
  return {
    id: articleId(p.id, p.url, paragraphs),
    ...fields,
    format: p.format,
    paragraphs,
    contentHash: sha256(JSON.stringify([fields.title, fields.url, fields.outlet, fields.author, fields.published, fields.dateline, paragraphs])),
    origin: p.origin,
  };
}

/**
 * "u-…" from the URL with tracking parameters, fragment and trailing slash removed, so the same
 * story shared with different utm_* tags is one article; else "c-…" from the text, case- and
 * whitespace-insensitive, so a re-exported copy of the same text is one article.
 */
export function articleId(sourceId: string | undefined, url: string | undefined, paragraphs: string[]): string {
  if (sourceId !== undefined && sourceId !== "") return sourceId;
  if (url) {
    const normal = identityUrl(url) ?? url.trim().toLowerCase();
    if (normal !== "") return `u-${sha256(normal).slice(0, 16)}`;
  }
  const content = paragraphs.map((t) => cleanText(t).toLowerCase()).join("\n");
  return `c-${sha256(content).slice(0, 16)}`;
}

/**
 * First sentence of the first paragraph. A long one is cut at its first clause break (comma,
 * semicolon, dash) after 40 characters, which reads like a headline ("The future of negotiations ... remains
 * uncertain"); failing that, at a word with "…".
 */
export function deriveTitle(paragraphs: string[]): string {
  const first = paragraphs[0];
  if (first === undefined) return "Untitled";
  const span = splitSentences(first)[0];
  const sentence = span ? first.slice(span.start, span.end) : first;
  const clause = /^(.{40,}?)\s*[,;:–—]\s/u.exec(sentence.slice(0, DERIVED_TITLE_CHARS + 1));
  const title = sentence.length > DERIVED_TITLE_CHARS && clause ? clause[1]! : truncateAtWord(sentence, DERIVED_TITLE_CHARS);
  // A headline has no full stop; "…", "?", "!" and the dot of "U.S." stay.
  return /[\p{Ll}\p{N}]\.$/u.test(title) ? title.slice(0, -1) : title;
}

function sha256(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}
