/** The input formats the project reads. */
export type ArticleFormat = "text" | "newswire" | "markdown" | "html" | "json";

/** One file (or upload) handed to ingest, before parsing. */
export interface SourceFile {
  /** Where it came from, as a person would name it: a path, or an attachment's file name. */
  name: string;
  bytes: Uint8Array;
  /** The web address it was fetched from (a link ingest): the articles' URL when the page names none. */
  url?: string;
  /** When it was filed, if known: the year of a wire dateline that gives none ("Dec 04"). Default: now. */
  filed?: Date;
}

/** An article as a parser found it: only what the source says, nothing derived yet. */
export interface ParsedArticle {
  format: ArticleFormat;
  /** Only when the source carries one (JSON/JSONL `id`). */
  id?: string;
  title?: string;
  url?: string;
  outlet?: string;
  author?: string;
  /** ISO 8601 date (YYYY-MM-DD) or date-time, when the source gives one that can be read. */
  published?: string;
  /** Newswire dateline, e.g. "MOSCOW/WASHINGTON, Dec 04", kept verbatim. */
  dateline?: string;
  /** Paragraph texts in source order, trimmed, none empty. */
  paragraphs: string[];
  /** Where in the source this came from, for error messages and replacement: "file.jsonl:12". */
  origin: string;
}

/** An article's metadata fields, as stored and cited: the one list of them. */
export interface ArticleMeta {
  id: string;
  title: string;
  url: string | null;
  outlet: string | null;
  author: string | null;
  published: string | null;
  dateline: string | null;
}

/** A finished article, ready to be stored: every field the store and the citations need. */
export interface Article extends ArticleMeta {
  format: ArticleFormat;
  paragraphs: string[];
  /** Hash of everything above: equal hashes mean an unchanged article. */
  contentHash: string;
  origin: string;
}

/** An input, or one record of it, that could not be read; the rest of the batch still goes in. */
export interface InputError {
  /** "file.jsonl", "file.jsonl:12" (line), or "file.json#3" (record). */
  where: string;
  /** What is wrong and what to do about it, in one sentence a moderator understands. */
  reason: string;
}

export interface ParseResult {
  articles: ParsedArticle[];
  errors: InputError[];
}

/** A sentence as a character range [start, end) of its paragraph's stored text. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/**
 * Parsing that may pause: each `yield` is a point where a caller serving members can hand the
 * event loop back (parseSourcePaced); parseSource runs straight through.
 */
export type Steps<T> = Generator<void, T, undefined>;

/** A paragraph of an article, named as a citation names it. */
export interface ParagraphRef {
  articleId: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  /** 1-based paragraph number. */
  paragraph: number;
}
