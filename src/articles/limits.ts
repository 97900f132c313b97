/**
 * Input limits, checked once at the edge (parse.ts, html.ts, json.ts). They exist so that one bad or
 * hostile upload costs a bounded amount of memory and time and becomes an InputError, never a crash
 * or a stalled bot. Numbers are chosen against the data we know: the BBC set's longest paragraph is
 * 2,572 characters and its whole 2,225-article JSONL is 5.4 MB.
 */

/** Largest file accepted, in bytes (20 MiB). Big enough for a few thousand articles as JSONL. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Most paragraphs one article may have; more is almost always a mis-split file, not an article. */
export const MAX_PARAGRAPHS = 2_000;

/**
 * Longest paragraph, in characters (UTF-16 code units). Ten times a long real paragraph; longer text
 * is nearly always a file whose paragraph breaks were lost, and would make one giant citation.
 */
export const MAX_PARAGRAPH_CHARS = 20_000;

/**
 * A paragraph this many times over the limit is rejected on its raw length, without the cleaning
 * and markup removal that would only tell us it is still too long (they cost seconds at 10 MB).
 */
export const UNREAD_PARAGRAPH_CHARS = MAX_PARAGRAPH_CHARS * 4;

/** Longest id a source may give an article (JSON `id`). */
export const MAX_ID_CHARS = 200;

/** Longest title kept; longer source titles are cut at a word boundary with "…". */
export const MAX_TITLE_CHARS = 300;

/** Longest derived title (from the first sentence), including the "…". */
export const DERIVED_TITLE_CHARS = 90;

/**
 * HTML markup left after scripts, styles, comments and inline data: URIs are removed (characters).
 * linkedom parses and walks about 3 MB/s on these machines, so this keeps a page near a second.
 * Real article pages are a few hundred KB once their scripts are gone.
 */
export const MAX_HTML_CHARS = 3 * 1024 * 1024;

/**
 * Deepest tag nesting accepted in HTML. linkedom's parse grows faster than linearly with depth
 * (100,000 levels took 15 s), and real pages stay under ~100 levels.
 */
export const MAX_HTML_DEPTH = 1_000;

/**
 * Readability's cost grows with elements × depth (5,000 elements 100 deep took ~4 s). Above either
 * budget the page is read with the simpler, linear paragraph walk instead.
 */
export const READABILITY_MAX_ELEMENTS = 6_000;
export const READABILITY_MAX_DEPTH_SUM = 200_000;

/** Deepest JSON nesting accepted; article records are two levels deep. */
export const MAX_JSON_DEPTH = 64;

/** Sentences longer than this are split (at ; , or a space) into pieces of about SENTENCE_TARGET_CHARS. */
export const MAX_SENTENCE_CHARS = 1_000;
export const SENTENCE_TARGET_CHARS = 500;

/**
 * sbd's time grows with the square of the sentence count in one call (20,000 chars of ". " took
 * 0.3 s), so longer text is handed to it in windows of about this size.
 */
export const SBD_WINDOW_CHARS = 4_000;

/**
 * Most sentences one article may have. The BBC set's longest article has a few hundred; 2,000 is a
 * short book. Above it an upload is almost always a mis-export (a 0.34 MiB JSON of "Rates rose."
 * repeated made 30,000), and every sentence is a vector to embed and insert.
 */
export const MAX_ARTICLE_SENTENCES = 2_000;

/** Most sentences one ingest (one /ingest or one CLI run) takes; about 25 times the whole BBC set's ~10,000 per 1,000 articles. */
export const MAX_INGEST_SENTENCES = 500_000;
