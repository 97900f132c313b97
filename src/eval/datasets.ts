import { readFileSync } from "node:fs";
import { z } from "zod";
import { cleanText } from "../articles/normalize.ts";
import { plural } from "../common/text.ts";

/**
 * The evaluation dataset format (the one under ../shared/datasets/*):
 * - articles.jsonl: one article per line, `{ "id", "title"?, "paragraphs": [...], ...anything else }`;
 * - questions.jsonl: one question per line, `{ "id"?, "question", "answers": [...],
 *   "evidence": [{ "article_id", "paragraph_index" (0-based) }], ...anything else }`.
 *   A question with empty `answers` is unanswerable from the articles.
 * Any file in this format works; errors name the file and line.
 */

export interface DatasetArticle {
  id: string;
  title: string | null;
  paragraphs: string[];
  /** The record as read, passed to ingest unchanged (other fields: url, source, published...). */
  record: Record<string, unknown>;
  /** "file.jsonl:12" */
  where: string;
}

export interface Evidence {
  articleId: string;
  /** 0-based, as in the dataset. Library paragraphs are 1-based: paragraph = paragraphIndex + 1. */
  paragraphIndex: number;
}

export interface DatasetQuestion {
  id: string;
  question: string;
  /** Empty: unanswerable. */
  answers: string[];
  evidence: Evidence[];
  /** How it is phrased ("casual", "typo", "followup"...), for per-style figures; null when not given. */
  style: string | null;
  /** A follow-up's earlier questions, oldest first (`context` as a string or list of strings); empty otherwise. */
  context: string[];
  where: string;
}

export class DatasetError extends Error {
  override name = "DatasetError";
}

/** How many problems one error message lists before it says "and N more". */
const MAX_LISTED = 10;

const articleSchema = z.object({
  id: z.string().trim().min(1, "must be a non-empty string"),
  title: z.string().nullish(),
  paragraphs: z
    .array(z.string().refine((p) => cleanText(p) !== "", "must not be empty or only whitespace (ingest drops it, which would shift every later paragraph_index)"))
    .min(1, "must hold at least one paragraph"),
});

const questionSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  question: z.string().refine((q) => q.trim().length > 0, "must not be empty"),
  answers: z.array(z.string().min(1, "must not be an empty string (use an empty list for an unanswerable question)")),
  evidence: z.array(
    z.object({
      article_id: z.string().min(1, "must be a non-empty string"),
      paragraph_index: z.number().int("must be a whole number").min(0, "must be 0 or more (it is 0-based)"),
    }),
  ),
  style: z.string().nullish(),
  // A string or list: the earlier questions of a follow-up. SQuAD files use `context` for the source
  // paragraph (an object); that is not a conversation and is ignored.
  context: z.union([z.string().min(1), z.array(z.string().min(1)), z.record(z.string(), z.unknown()), z.null()]).optional(),
});

/** Collects problems and throws them together, so one run shows every broken line. */
/** Every problem of a dataset file, reported together so one run shows them all. */
export class Problems {
  private readonly list: string[] = [];
  constructor(private readonly what: string) {}
  get size(): number {
    return this.list.length;
  }
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const shown = this.list.slice(0, MAX_LISTED).map((l) => `  ${l}`);
    if (this.list.length > MAX_LISTED) shown.push(`  ... and ${this.list.length - MAX_LISTED} more`);
    throw new DatasetError(`${this.what}: ${plural(this.list.length, "problem")}:\n${shown.join("\n")}`);
  }
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const field = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    return field ? `${field}: ${i.message}` : i.message;
  });
}

/** Non-empty lines with their 1-based line numbers; a UTF-8 BOM is ignored. */
function jsonLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((t, i) => {
    if (t.trim() !== "") out.push({ line: i + 1, text: t });
  });
  return out;
}

function parseLine(file: string, line: { line: number; text: string }, problems: Problems): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    problems.add(`${file}:${line.line}`, `not valid JSON (${(error as Error).message})`);
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.add(`${file}:${line.line}`, "must be a JSON object, one per line");
    return null;
  }
  return value as Record<string, unknown>;
}

/** Each JSONL line checked against `schema`, with where it stands; bad lines go to `problems`. */
export function schemaLines<T>(text: string, file: string, schema: z.ZodType<T>, problems: Problems): { value: T; where: string }[] {
  const out: { value: T; where: string }[] = [];
  for (const line of jsonLines(text)) {
    const where = `${file}:${line.line}`;
    const record = parseLine(file, line, problems);
    if (!record) continue;
    const parsed = schema.safeParse(record);
    if (parsed.success) out.push({ value: parsed.data, where });
    else for (const m of zodProblems(parsed.error)) problems.add(where, m);
  }
  return out;
}

export function parseArticles(text: string, file: string): DatasetArticle[] {
  const problems = new Problems(`Articles file ${file}`);
  const articles: DatasetArticle[] = [];
  const seen = new Map<string, string>();
  for (const line of jsonLines(text)) {
    const where = `${file}:${line.line}`;
    const record = parseLine(file, line, problems);
    if (!record) continue;
    const parsed = articleSchema.safeParse(record);
    if (!parsed.success) {
      for (const m of zodProblems(parsed.error)) problems.add(where, m);
      continue;
    }
    const { id, title, paragraphs } = parsed.data;
    if (seen.has(id)) {
      problems.add(where, `repeats article id "${id}" from ${seen.get(id)}; ids must be unique`);
      continue;
    }
    seen.set(id, where);
    articles.push({ id, title: title ?? null, paragraphs, record, where });
  }
  if (articles.length === 0 && problems.size === 0) problems.add(file, "holds no articles");
  problems.throwIfAny();
  return articles;
}

export function parseQuestions(text: string, file: string): DatasetQuestion[] {
  const problems = new Problems(`Questions file ${file}`);
  const questions: DatasetQuestion[] = [];
  for (const line of jsonLines(text)) {
    const where = `${file}:${line.line}`;
    const record = parseLine(file, line, problems);
    if (!record) continue;
    const parsed = questionSchema.safeParse(record);
    if (!parsed.success) {
      for (const m of zodProblems(parsed.error)) problems.add(where, m);
      continue;
    }
    const q = parsed.data;
    questions.push({
      id: q.id === undefined ? where : String(q.id),
      question: q.question,
      answers: q.answers,
      evidence: q.evidence.map((e) => ({ articleId: e.article_id, paragraphIndex: e.paragraph_index })),
      style: q.style ?? null,
      context: typeof q.context === "string" ? [q.context] : Array.isArray(q.context) ? q.context : [],
      where,
    });
  }
  if (questions.length === 0 && problems.size === 0) problems.add(file, "holds no questions");
  problems.throwIfAny();
  return questions;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new DatasetError(`${what} file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check the path.`);
  }
}

/** Reads one or more articles.jsonl files; an id may appear only once across all of them. */
export function loadArticles(files: string[]): DatasetArticle[] {
  const all: DatasetArticle[] = [];
  const seen = new Map<string, string>();
  const problems = new Problems("Articles");
  for (const file of files) {
    for (const a of parseArticles(readText(file, "Articles"), file)) {
      if (seen.has(a.id)) problems.add(a.where, `repeats article id "${a.id}" from ${seen.get(a.id)}; ids must be unique across the files`);
      else {
        seen.set(a.id, a.where);
        all.push(a);
      }
    }
  }
  problems.throwIfAny();
  return all;
}

export function loadQuestions(file: string): DatasetQuestion[] {
  return parseQuestions(readText(file, "Questions"), file);
}

/** Every evidence entry must name a loaded article and one of its paragraphs. */
export function checkEvidence(questions: DatasetQuestion[], articles: DatasetArticle[]): void {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const problems = new Problems("Questions do not match the articles");
  for (const q of questions) {
    q.evidence.forEach((e, i) => {
      const a = byId.get(e.articleId);
      if (!a) problems.add(q.where, `evidence[${i}].article_id "${e.articleId}" is not in the articles files given with --articles`);
      else if (e.paragraphIndex >= a.paragraphs.length) {
        problems.add(q.where, `evidence[${i}].paragraph_index ${e.paragraphIndex} is out of range: article "${a.id}" has ${a.paragraphs.length} paragraphs (0-based, so at most ${a.paragraphs.length - 1})`);
      }
    });
  }
  problems.throwIfAny();
}

/** Deterministic PRNG (mulberry32): the same seed gives the same sample on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` items chosen uniformly with a fixed seed, kept in their original order; all when n >= length. */
export function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return [...items];
  const rand = mulberry32(seed);
  const idx = items.map((_, i) => i);
  // Partial Fisher-Yates: the first n slots are a uniform sample.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}
