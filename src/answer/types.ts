/**
 * The one structured answer every face renders (terminal, CLI JSON, Discord).
 * Field names are a public contract: `ask --json`, the evaluation scripts and other tools read them.
 */
export interface Answer {
  question: string;
  status: "answered" | "not_found";
  /** 0..1, calibrated: below the configured threshold the status is `not_found`. */
  confidence: number;
  /** 1-3 quotes when answered; empty when not_found. */
  quotes: Quote[];
  /** Numbered sources of the quotes (answered), or the closest paragraphs found (not_found). */
  citations: Citation[];
  /** What was searched, so a decline can say so. */
  searched: { articles: number; paragraphs: number; terms: string[]; articleFilter: string | null };
  /** Retrieval ranking of paragraphs, best first (at most 10): what the evaluation scores. */
  ranked: RankedParagraph[];
  timings: { embedMs: number; retrieveMs: number; selectMs: number; totalMs: number };
}

export interface Quote {
  /** Byte-exact substring of the stored paragraph text: text === paragraphText.slice(start, end). */
  text: string;
  articleId: string;
  /** 1-based, as a reader counts paragraphs. */
  paragraph: number;
  start: number;
  end: number;
  /** The `n` of its citation. */
  citation: number;
}

export interface Citation {
  n: number;
  articleId: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  /** 1-based paragraph number. */
  paragraph: number;
  /** The URL with a text fragment that jumps to the quoted words, where the article has a URL. */
  link: string | null;
}

export interface RankedParagraph {
  articleId: string;
  /** 1-based. */
  paragraph: number;
  score: number;
}

export interface AnswerOptions {
  /** Restrict to one article (id). */
  articleId?: string;
  /** Override the calibrated decline threshold (0..1). */
  minConfidence?: number;
  /** Retrieval method, for evaluation: the product always uses "hybrid". */
  method?: RetrievalMethod;
}

export type RetrievalMethod = "hybrid" | "bm25" | "dense";
