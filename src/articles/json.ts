/**
 * JSON and JSON Lines article records, as in ../shared/datasets/*\/articles.jsonl:
 * `{id, title, source, url, published, paragraphs[]}`. Each record is checked on its own, so one bad
 * line costs that line only, and the error says which line and which field.
 */

import { z } from "zod";
import type { InputError, ParseResult, ParsedArticle, Steps } from "./types.ts";
import { normalizeDate } from "./dates.ts";
import { MAX_JSON_DEPTH } from "./limits.ts";
import { httpUrl } from "./url.ts";

const optionalString = z.string().nullable().optional();

const RecordSchema = z.object({
  id: z.union([z.string(), z.number()]).nullable().optional(),
  title: optionalString,
  source: optionalString,
  outlet: optionalString,
  url: optionalString,
  published: optionalString,
  date: optionalString,
  author: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  paragraphs: z.array(z.string()).optional(),
  text: z.string().optional(),
  body: z.string().optional(),
});

type RawRecord = z.infer<typeof RecordSchema>;

export interface JsonOptions {
  /** JSON Lines (.jsonl/.ndjson) rather than one JSON document. */
  lines: boolean;
}

/** Pauses (yields) after each record: a 20 MiB upload of 100k records must not hold the serving thread. */
export function* parseJson(text: string, name: string, options: JsonOptions): Steps<ParseResult> {
  const trimmed = text.trim();
  if (options.lines && !trimmed.startsWith("[")) return yield* parseJsonLines(text, name);

  const depth = jsonDepth(trimmed);
  if (depth > MAX_JSON_DEPTH) {
    return fail(name, `The JSON is nested ${depth > 10_000 ? "over 10,000" : depth} levels deep (limit ${MAX_JSON_DEPTH}); article records need two levels. Check the export.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (error) {
    // A ".json" file is often JSON Lines under the wrong name.
    if (looksLikeJsonLines(trimmed)) return yield* parseJsonLines(text, name);
    return fail(name, `The file is not valid JSON (${describeJsonError(error, trimmed)}); fix the syntax, or use one JSON object per line (.jsonl).`);
  }

  if (Array.isArray(data)) {
    if (data.length === 0) return fail(name, "The JSON list is empty; it holds no articles to add.");
    return yield* readList(data, name);
  }
  if (isObject(data)) {
    for (const key of ["articles", "items", "data"]) {
      const list = data[key];
      if (Array.isArray(list) && !("paragraphs" in data)) return yield* readList(list, name);
    }
    return collect([readRecord(data, name)]);
  }
  return fail(name, `The JSON is ${describeType(data)}, not an article object or a list of them; each article needs {"title", "paragraphs": [...]}.`);
}

function* readList(list: unknown[], name: string): Steps<ParseResult> {
  const results: (ParsedArticle | InputError)[] = [];
  for (let i = 0; i < list.length; i++) {
    results.push(readRecord(list[i], `${name}#${i + 1}`));
    yield;
  }
  return collect(results);
}

function* parseJsonLines(text: string, name: string): Steps<ParseResult> {
  const results: (ParsedArticle | InputError)[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) yield;
    const line = lines[i]!.trim();
    if (line === "") continue;
    const where = `${name}:${i + 1}`;
    const depth = jsonDepth(line);
    if (depth > MAX_JSON_DEPTH) {
      results.push({ where, reason: `This line is nested ${depth > 10_000 ? "over 10,000" : depth} levels deep (limit ${MAX_JSON_DEPTH}); fix or remove it.` });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      results.push({ where, reason: `This line is not valid JSON (${describeJsonError(error, line)}); fix or remove it. Each line must hold one whole article object.` });
      continue;
    }
    results.push(readRecord(value, where));
  }
  if (results.length === 0) return fail(name, "The file has no records (only blank lines); put one article object per line.");
  return collect(results);
}

function collect(results: (ParsedArticle | InputError)[]): ParseResult {
  const out: ParseResult = { articles: [], errors: [] };
  for (const r of results) {
    if ("paragraphs" in r) out.articles.push(r);
    else out.errors.push(r);
  }
  return out;
}

function fail(where: string, reason: string): ParseResult {
  return { articles: [], errors: [{ where, reason }] };
}

/** One record -> a ParsedArticle, or an error naming the first thing wrong with it. */
function readRecord(value: unknown, where: string): ParsedArticle | InputError {
  if (!isObject(value)) {
    return { where, reason: `The record is ${describeType(value)}, not an article object like {"title": …, "paragraphs": […]}.` };
  }
  const parsed = RecordSchema.safeParse(value);
  if (!parsed.success) return { where, reason: describeIssue(parsed.error.issues[0], value) };
  const r: RawRecord = parsed.data;

  let paragraphs: string[];
  if (r.paragraphs !== undefined) paragraphs = r.paragraphs;
  else if (r.text !== undefined || r.body !== undefined) paragraphs = splitParagraphs((r.text ?? r.body)!);
  else return { where, reason: `Field "paragraphs" is missing; give the article text as "paragraphs": ["first paragraph", …].` };
  paragraphs = paragraphs.map((p) => p.trim()).filter((p) => p !== "");
  if (paragraphs.length === 0) {
    return { where, reason: `Field "paragraphs" has no text (it is empty or only blank strings); add the article's paragraphs or remove the record.` };
  }

  const article: ParsedArticle = { format: "json", paragraphs, origin: where };
  if (r.id !== undefined && r.id !== null) {
    if (typeof r.id === "number" && !(Number.isSafeInteger(r.id) && r.id >= 0)) {
      return { where, reason: `Field "id" (${r.id}) must be a string or a non-negative whole number; fix it or leave it out to have one derived.` };
    }
    // Kept exactly (other systems refer to the article by it); what it may hold is checked in parse.ts.
    article.id = String(r.id);
  }
  const title = r.title?.trim();
  if (title) article.title = title;
  const outlet = (r.source ?? r.outlet)?.trim();
  if (outlet) article.outlet = outlet;
  const author = Array.isArray(r.author) ? r.author.map((a) => a.trim()).filter(Boolean).join(", ") : r.author?.trim();
  if (author) article.author = author;

  const rawUrl = r.url?.trim();
  if (rawUrl) {
    const url = httpUrl(rawUrl);
    if (!url) return { where, reason: `Field "url" (${quote(rawUrl)}) is not an absolute http(s) URL; fix it or set it to null.` };
    article.url = url;
  }
  const rawDate = (r.published ?? r.date)?.trim();
  if (rawDate) {
    const published = normalizeDate(rawDate);
    if (!published) {
      return { where, reason: `Field "published" (${quote(rawDate)}) is not a date this reader understands; use YYYY-MM-DD or an ISO 8601 date-time, or null.` };
    }
    article.published = published;
  }
  return article;
}

function splitParagraphs(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  return /\n[ \t]*\n/.test(normalized) ? normalized.split(/\n[ \t]*\n/) : normalized.split("\n");
}

type Issue = z.core.$ZodIssue;

/** A zod issue -> "Field "paragraphs[2]" should be text, not a number; …". */
function describeIssue(issue: Issue | undefined, record: Record<string, unknown>): string {
  if (!issue) return "The record could not be read.";
  const field = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || "record";
  const actual = describeType(valueAt(record, issue.path));
  const expected = EXPECTED[String(issue.path[0])] ?? "a different type";
  if (issue.code === "invalid_type" || issue.code === "invalid_union") {
    const what = typeof issue.path[issue.path.length - 1] === "number" ? "text (a string)" : expected;
    return `Field "${field}" should be ${what}, not ${actual}; fix it in the file and upload it again.`;
  }
  return `Field "${field}" is not valid (${issue.message}); fix it in the file and upload it again.`;
}

const EXPECTED: Record<string, string> = {
  id: "a string (or a whole number)",
  title: "a string or null",
  source: "a string or null",
  outlet: "a string or null",
  url: "a string or null",
  published: "a date string or null",
  date: "a date string or null",
  author: "a string, a list of strings, or null",
  paragraphs: "a list of strings",
  text: "a string",
  body: "a string",
};

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "missing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "number") return Number.isInteger(v) ? "a whole number" : "a number";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "true/false";
  return "an object";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split("\n", 50).filter((l) => l.trim() !== "");
  return lines.length >= 2 && lines.every((l) => l.trim().startsWith("{"));
}

/** V8 says "… at position N"; people need a line and column. */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const m = /at position (\d+)/.exec(message);
  const short = message.replace(/\s*in JSON at position \d+.*$/s, "").replace(/^Unexpected end of JSON input$/, "it ends too early");
  if (!m) return short;
  const pos = Number(m[1]);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return `${short} at line ${line}, column ${col}`;
}

/** Deepest [ / { nesting, strings skipped; stops early once it is clearly too deep. Linear. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > 10_000) return max + 1;
      }
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return max;
}
