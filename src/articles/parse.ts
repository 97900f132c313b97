/**
 * The one entry point from files to articles. Input is validated here, once: size, encoding, type,
 * and the per-article limits. Everything after this can trust its input; everything wrong with the
 * input becomes an InputError that names it and says what to do. Never throws.
 */

import type { InputError, ParseResult, ParsedArticle, SourceFile, Steps } from "./types.ts";
import { decodeText } from "./decode.ts";
import { KIND_BY_EXTENSION, SUPPORTED_FORMATS, type Kind } from "./formats.ts";
import { parseHtml } from "./html.ts";
import { sourceIdProblem } from "./identity.ts";
import { parseJson } from "./json.ts";
import { MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, UNREAD_PARAGRAPH_CHARS } from "./limits.ts";
import { parseMarkdown } from "./markdown.ts";
import { cleanText } from "./normalize.ts";
import { parseText } from "./text.ts";
import { parseZip } from "./zip.ts";

export interface ParseOptions {
  /** "Now", for newswire datelines without a year. Defaults to the current time. */
  referenceDate?: Date;
}

export function parseSource(file: SourceFile, options: ParseOptions = {}): ParseResult {
  const name = nameOf(file);
  try {
    return withSourceUrl(runThrough(parseChecked(file.bytes, name, options)), file);
  } catch (error) {
    return internalError(name, error);
  }
}

/**
 * parseSource for a caller that serves members meanwhile: `pace()` is awaited between records and
 * articles, so it can hand the event loop back (one 7.7 MiB JSONL parsed in one call held it 0.6 s).
 */
export async function parseSourcePaced(file: SourceFile, pace: () => Promise<void>, options: ParseOptions = {}): Promise<ParseResult> {
  const name = nameOf(file);
  const steps = parseChecked(file.bytes, name, options);
  try {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return withSourceUrl(step.value, file);
      await pace();
    }
  } catch (error) {
    return internalError(name, error);
  }
}

function runThrough<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** A fetched page's address is its articles' URL (their identity) where the page names no canonical one. */
function withSourceUrl(result: ParseResult, file: SourceFile): ParseResult {
  if (!file.url) return result;
  return { ...result, articles: result.articles.map((a) => (a.url ? a : { ...a, url: file.url })) };
}

function nameOf(file: SourceFile): string {
  return file.name.trim() === "" ? "(unnamed file)" : file.name;
}

/** Only a bug in this code gets here; the batch must still go on without this file. */
function internalError(name: string, error: unknown): ParseResult {
  const detail = error instanceof Error ? error.message : String(error);
  return fail(name, `The file could not be read because of an internal error (${detail.slice(0, 200)}); please report it with the file.`);
}

function* parseChecked(bytes: Uint8Array, name: string, options: ParseOptions): Steps<ParseResult> {
  if (bytes.length > MAX_FILE_BYTES) {
    const mib = (bytes.length / 2 ** 20).toFixed(1);
    return fail(name, `The file is ${mib} MiB; the limit is ${MAX_FILE_BYTES / 2 ** 20} MiB per file. Split it into smaller files (JSONL splits cleanly between lines).`);
  }

  const extension = extensionOf(name);
  const declared: Kind | undefined = KIND_BY_EXTENSION[extension];
  if (declared === "zip") return parseZip(bytes, name, (entry) => parseSource(entry, options));
  const decoded = decodeText(bytes, { html: declared === "html" || declared === undefined });
  if (!decoded.ok) return fail(name, decoded.reason);
  const text = decoded.text.replace(/^\uFEFF/, "");
  if (text.trim() === "") return fail(name, "The file has no text, only whitespace; check the export and upload the file again.");

  let kind = declared;
  if (kind === undefined) {
    // No usable extension: recognise the formats that announce themselves.
    const sniffed = sniff(text);
    if (sniffed) kind = sniffed;
    else if (extension === "") kind = "text";
    else return fail(name, `Unknown file type ".${extension}"; save the article as ${SUPPORTED_FORMATS} (plain text and newswire copy go in .txt).`);
  }

  let result: ParseResult;
  switch (kind) {
    case "text":
      result = parseText(text, name, options.referenceDate ? { referenceDate: options.referenceDate } : {});
      break;
    case "markdown":
      result = parseMarkdown(text, name);
      break;
    case "html":
      result = parseHtml(text, name);
      break;
    case "json":
    case "jsonl":
      result = yield* parseJson(text, name, { lines: kind === "jsonl" });
      break;
  }
  return yield* checkArticles(result, kind);
}

/** Per-article limits and ids, on the text as it will be stored. A failing article is an error, not a crash. */
function* checkArticles(result: ParseResult, kind: Exclude<Kind, "zip">): Steps<ParseResult> {
  const articles: ParsedArticle[] = [];
  const errors: InputError[] = [...result.errors];
  for (const article of result.articles) {
    yield;
    // Far over a limit is decided on the raw text: cleaning 400,000 paragraphs only to count them
    // (or a 10 MB one only to measure it) would cost seconds.
    const raw = article.paragraphs;
    const huge = raw.findIndex((p) => p.length > UNREAD_PARAGRAPH_CHARS);
    let problem: string | undefined;
    let paragraphs: string[] = [];
    if (raw.length > MAX_PARAGRAPHS * 2) problem = tooMany(raw.length);
    else if (huge !== -1) problem = tooLong(huge, raw[huge]!.length);
    else {
      paragraphs = raw.map(cleanText).filter((p) => p !== "");
      problem = paragraphProblem(paragraphs, kind) ?? (article.id === undefined ? undefined : sourceIdProblem(article.id, article.url, paragraphs));
    }
    if (problem) errors.push({ where: article.origin, reason: problem });
    else articles.push({ ...article, paragraphs });
  }
  return { articles, errors };
}

function paragraphProblem(paragraphs: string[], kind: Exclude<Kind, "zip">): string | undefined {
  if (paragraphs.length === 0) {
    return kind === "html"
      ? "No article text was found in the page (it may need JavaScript to show it); copy the article text into a .txt file and upload that."
      : "No article text was found; the file has no paragraphs to quote.";
  }
  if (paragraphs.length > MAX_PARAGRAPHS) return tooMany(paragraphs.length);
  const long = paragraphs.findIndex((p) => p.length > MAX_PARAGRAPH_CHARS);
  return long === -1 ? undefined : tooLong(long, paragraphs[long]!.length);
}

function tooMany(count: number): string {
  return `The article has ${count.toLocaleString("en-US")} paragraphs; the limit is ${MAX_PARAGRAPHS.toLocaleString("en-US")}. Split it into several articles.`;
}

function tooLong(index: number, length: number): string {
  return (
    `Paragraph ${index + 1} has ${length.toLocaleString("en-US")} characters; the limit is ` +
    `${MAX_PARAGRAPH_CHARS.toLocaleString("en-US")}. Its paragraph breaks were probably lost: separate paragraphs with blank lines.`
  );
}

function fail(where: string, reason: string): ParseResult {
  return { articles: [], errors: [{ where, reason }] };
}

/** Lower-case extension of the file name, or "" when it has none ("report 04.12.2025" has none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return "";
  const ext = base.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) && /[a-z]/.test(ext) ? ext : "";
}

/** Formats recognisable from their first bytes; plain text is what is left. */
function sniff(text: string): Exclude<Kind, "zip"> | undefined {
  const head = text.slice(0, 64 * 1024).trimStart();
  if (head.startsWith("{") || head.startsWith("[")) {
    const firstLine = head.split("\n", 1)[0]!.trim();
    return firstLine.startsWith("{") && firstLine.endsWith("}") && head.includes("\n{") ? "jsonl" : "json";
  }
  if (/^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(head)) return "html";
  if (head.startsWith("<") && /<\/(?:p|div|article|body|html)>/i.test(head)) return "html";
  if (/^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.test(head)) return "markdown";
  if (/^#{1,6}[ \t]+\S/.test(head)) return "markdown";
  return undefined;
}
