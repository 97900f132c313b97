/**
 * ParsedArticle -> Article: the derived fields (id, title, hash) and the stored form of the text.
 * Ids must be stable across re-ingests, so that re-uploading an article replaces it instead of
 * duplicating it: a source id wins, then the URL, then the text itself.
 */

import { createHash } from "node:crypto";
import type { Article, ParsedArticle } from "./types.ts";
import { DERIVED_TITLE_CHARS, MAX_ID_CHARS, MAX_TITLE_CHARS } from "./limits.ts";
import { truncateAtWord } from "../common/text.ts";
import { cleanOptional, cleanText } from "./normalize.ts";
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

/** The ids `articleId` derives: "c-" (text) or "u-" (URL) and 16 hex digits. */
const DERIVED_ID = /^[cu]-[0-9a-f]{16}$/;

/**
 * Letters and digits of any script, then also combining marks and the punctuation of web addresses:
 * no spaces, controls, invisible or bidi characters, quotes, backticks or angle brackets, which could
 * make two ids look alike or break the places that show them.
 */
const SOURCE_ID = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}\-._~:/?#[\]@!$&'()*+,;=%]*$/u;

/**
 * Why a source's own id cannot be an article's id, or undefined when it can. An id is how the
 * store, the citations and the bot's buttons tell articles apart, so an id that could be mistaken
 * for another article's is refused here rather than allowed to take that article's place: "#…" is
 * the form of the short references on the bot's buttons (a hash of a long id), and "c-…"/"u-…" with
 * 16 hex digits the form of derived ids, accepted only when it is the very id this record derives
 * (a re-imported export).
 */
export function sourceIdProblem(id: string, url: string | undefined, paragraphs: string[]): string | undefined {
  const shown = JSON.stringify(id.length > 60 ? `${id.slice(0, 57)}...` : id);
  const fix = "or leave the field out to have an id derived";
  if (id === "") return `Field "id" is empty; give the article an id, ${fix}.`;
  if (id.length > MAX_ID_CHARS) return `Field "id" has ${id.length.toLocaleString("en-US")} characters; the limit is ${MAX_ID_CHARS}. Shorten it, ${fix}.`;
  if (id.startsWith("#")) {
    return `Field "id" (${shown}) starts with "#", which is reserved for the references on the bot's buttons; it could take another article's place there. Start it with a letter or digit, ${fix}.`;
  }
  if (!SOURCE_ID.test(id) || id.normalize("NFC") !== id) {
    return `Field "id" (${shown}) may hold only letters, digits and the punctuation of web addresses (- . _ ~ : / ? # [ ] @ ! $ & ' ( ) * + , ; = %), starting with a letter or digit: no spaces, quotes or invisible characters. Fix it, ${fix}.`;
  }
  if (DERIVED_ID.test(id) && id !== articleId(undefined, url, paragraphs)) {
    return `Field "id" (${shown}) has the form of the ids this program derives from an article's text or address, and is not this article's: it would take another article's place. Give the record its own id, ${fix}.`;
  }
  return undefined;
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
