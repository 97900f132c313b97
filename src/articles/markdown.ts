/**
 * Markdown -> one article. Quotes are shown as plain text, so markup is removed, but conservatively:
 * a stray "*" or "_" that is not clearly emphasis stays, because deleting real characters would make
 * a quote differ from the article. Only line-based parsing and bounded regexes: linear time.
 */

import type { ParseResult, ParsedArticle } from "./types.ts";
import { normalizeDate } from "./dates.ts";
import { MAX_PARAGRAPHS, UNREAD_PARAGRAPH_CHARS } from "./limits.ts";
import { httpUrl } from "./url.ts";

type Kind = "para" | "list" | "quote";

const FRONT_MATTER_KEYS: Record<string, "title" | "url" | "outlet" | "author" | "published"> = {
  title: "title", headline: "title",
  url: "url", link: "url", canonical: "url", canonical_url: "url", canonicalurl: "url", permalink: "url",
  outlet: "outlet", source: "outlet", publication: "outlet", publisher: "outlet", site: "outlet", site_name: "outlet",
  author: "author", authors: "author", byline: "author",
  published: "published", date: "published", pubdate: "published", published_at: "published",
  publish_date: "published", publishdate: "published", datepublished: "published",
};

export function parseMarkdown(text: string, origin: string): ParseResult {
  let body = removeHtmlComments(text.replace(/\r\n?/g, "\n"));
  const article: ParsedArticle = { format: "markdown", paragraphs: [], origin };

  const fm = splitFrontMatter(body);
  if (fm) {
    body = fm.body;
    for (const [key, value] of Object.entries(parseFrontMatter(fm.lines))) {
      const field = FRONT_MATTER_KEYS[key];
      if (!field || value === "" || article[field] !== undefined) continue;
      if (field === "url") {
        const url = httpUrl(value);
        if (url) article.url = url;
      } else if (field === "published") {
        const date = normalizeDate(value);
        if (date) article.published = date;
      } else {
        article[field] = value;
      }
    }
  }

  const blocks = parseBlocks(body);
  // The first H1 before any text is the document's title, not a paragraph of it.
  const firstText = blocks.findIndex((b) => b.kind !== "heading" || b.level !== 1);
  const h1 = blocks.findIndex((b) => b.kind === "heading" && b.level === 1);
  if (h1 !== -1 && (firstText === -1 || h1 < firstText)) {
    const [heading] = blocks.splice(h1, 1);
    const headingText = stripInline(heading!.text);
    if (article.title === undefined && headingText !== "") article.title = headingText;
  }
  for (const block of blocks) {
    // Past the limits the article is rejected anyway (parse.ts); stripping markup would only cost time.
    const overLimit = block.text.length > UNREAD_PARAGRAPH_CHARS || article.paragraphs.length > MAX_PARAGRAPHS * 2;
    const t = overLimit ? block.text : stripInline(block.text);
    if (t !== "") article.paragraphs.push(t);
  }
  return { articles: [article], errors: [] };
}

interface Block {
  kind: Kind | "heading";
  level?: number;
  text: string;
}

function parseBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  let kind: Kind = "para";
  let fence: string | null = null;

  const flush = () => {
    if (current.length > 0) blocks.push({ kind, text: current.join(" ") });
    current = [];
    kind = "para";
  };

  for (const rawLine of body.split("\n")) {
    if (fence !== null) {
      // Code is not prose anyone quotes; the whole fenced block is dropped.
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(rawLine);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = null;
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(rawLine);
    if (open) {
      flush();
      fence = open[1]!;
      continue;
    }
    let line = rawLine;
    if (line.trim() === "") {
      flush();
      continue;
    }

    // Setext heading underline: "Title\n=====" or "Title\n-----" (before the "---" rule check).
    if (kind === "para" && current.length > 0 && /^\s{0,3}(=+|-+)\s*$/.test(line)) {
      const level = line.trim()[0] === "=" ? 1 : 2;
      blocks.push({ kind: "heading", level, text: current.join(" ") });
      current = [];
      continue;
    }
    if (/^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line)) {
      flush(); // horizontal rule
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})(?:[ \t]|$)/.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: "heading", level: atx[1]!.length, text: stripClosingHashes(line.slice(atx[0].length)) });
      continue;
    }
    if (/^\s{0,3}\[[^\]\n]{1,200}\]:\s*\S/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line) && line.includes("|")) continue; // table rule

    if (/^\s{0,3}>/.test(line)) {
      while (/^\s{0,3}>/.test(line)) line = line.replace(/^\s{0,3}> ?/, "");
      if (line.trim() === "") {
        flush();
        continue;
      }
      if (kind !== "quote") flush();
      kind = "quote";
      current.push(line.trim());
      continue;
    }

    // Each list item is its own paragraph. An ordered marker only starts a list where a paragraph
    // could not continue, so "2024. That year…" inside prose stays prose.
    const bullet = /^\s*[-*+][ \t]+/.exec(line);
    const ordered = current.length === 0 || kind === "list" ? /^\s*\d{1,9}[.)][ \t]+/.exec(line) : null;
    const item = bullet ?? ordered;
    if (item) {
      flush();
      kind = "list";
      current.push(line.slice(item[0].length).replace(/^\[[ xX]\]\s+/, "").trim());
      continue;
    }
    current.push(line.trim());
  }
  flush();
  return blocks;
}

/** Front matter: a first line "---", simple "key: value" lines, a closing "---" (or "..."). */
function splitFrontMatter(text: string): { lines: string[]; body: string } | null {
  const start = /^\uFEFF?---[ \t]*\n/.exec(text);
  if (!start) return null;
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = text.slice(start[0].length);
  const m = close.exec(rest);
  if (!m) return null;
  return { lines: rest.slice(0, m.index).split("\n"), body: rest.slice(m.index + m[0].length) };
}

/** The subset of YAML that front matter uses: scalars, quoted scalars, [a, b] and "- item" lists. */
export function parseFrontMatter(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let listKey: string | null = null;
  let list: string[] = [];
  const endList = () => {
    if (listKey !== null && list.length > 0 && out[listKey] === undefined) out[listKey] = list.join(", ");
    listKey = null;
    list = [];
  };
  for (const line of lines) {
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey !== null) {
      list.push(unquote(item[1]!));
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?\s*$/.exec(line);
    if (!kv) continue;
    endList();
    const key = kv[1]!.toLowerCase();
    const raw = (kv[2] ?? "").trim();
    if (raw === "") {
      listKey = key;
      continue;
    }
    if (raw.startsWith("[") && raw.endsWith("]")) {
      out[key] = raw.slice(1, -1).split(",").map(unquote).filter((v) => v !== "").join(", ");
    } else if (out[key] === undefined) {
      out[key] = unquote(raw);
    }
  }
  endList();
  return out;
}

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === "string") return parsed.trim();
    } catch {
      // YAML escapes are a superset of JSON's; an unreadable escape keeps the text between quotes.
    }
    return v.slice(1, -1).trim();
  }
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'").trim();
  // An unquoted value may carry a YAML comment.
  return v.replace(/\s+#.*$/, "").trim();
}

function removeHtmlComments(text: string): string {
  if (!text.includes("<!--")) return text;
  let out = "";
  let from = 0;
  for (;;) {
    const open = text.indexOf("<!--", from);
    if (open === -1) break;
    out += text.slice(from, open);
    const close = text.indexOf("-->", open + 4);
    if (close === -1) return out; // unclosed: the rest is a comment
    from = close + 3;
  }
  return out + text.slice(from);
}

function stripClosingHashes(s: string): string {
  const t = s.trim();
  let i = t.length;
  while (i > 0 && t[i - 1] === "#") i--;
  if (i === t.length) return t;
  if (i === 0) return "";
  return /\s/.test(t[i - 1]!) ? t.slice(0, i).trim() : t;
}

const ESCAPABLE = /\\([\\`*_{}[\]()#+\-.!>~|<"'])/g;
const PLACEHOLDER_BASE = 0xe000;

/** Markdown inline syntax -> the text a reader sees. Every pattern is bounded by its own delimiters. */
export function stripInline(input: string): string {
  // Escaped characters are literal text: hide them from the emphasis rules, restore at the end.
  const usePlaceholders = !/[\uE000-\uE07F]/.test(input);
  let s = usePlaceholders
    ? input.replace(ESCAPABLE, (_m, c: string) => String.fromCharCode(PLACEHOLDER_BASE + c.charCodeAt(0)))
    : input;

  s = s
    .replace(/!\[[^[\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\)/g, "") // images
    .replace(/!\[[^[\]\n]*\]\[[^[\]\n]*\]/g, "")
    .replace(/\[\^[^[\]\s]{1,30}\]/g, "") // footnote references
    .replace(/\[([^[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\)/g, "$1") // links
    .replace(/\[([^[\]\n]+)\]\[[^[\]\n]*\]/g, "$1") // reference links
    .replace(/<((?:https?|mailto):[^<>\s]+)>/gi, "$1") // autolinks
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, "") // inline HTML tags
    .replace(/``\s?([^`]+?)\s?``/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\*\*(?=\S)([^*]+?)(?<=\S)\*\*/g, "$1")
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)([^_]+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, "$1")
    .replace(/~~(?=\S)([^~]+?)(?<=\S)~~/g, "$1")
    .replace(/(?<![\p{L}\p{N}*\\])\*(?=\S)([^*]+?)(?<=\S)\*(?![\p{L}\p{N}*])/gu, "$1")
    .replace(/(?<![\p{L}\p{N}_\\])_(?=\S)([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, "$1");

  s = decodeEntities(s);
  if (usePlaceholders) s = s.replace(/[\uE000-\uE07F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - PLACEHOLDER_BASE));
  return s.replace(/\s+/g, " ").trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", mdash: "—", ndash: "–",
  hellip: "…", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", copy: "©",
};

/** The HTML entities Markdown writers use; unknown names are left as written. */
function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});/g, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[e] ?? m;
  });
}
