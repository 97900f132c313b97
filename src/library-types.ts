import type { Answer, AnswerOptions } from "./answer/types.ts";
import type { InputError, SourceFile } from "./articles/types.ts";

/** One article as listed to people (no paragraph text). */
export interface ArticleSummary {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  paragraphs: number;
  ingestedAt: string;
}

/** A stored paragraph, for "show me the source". */
export interface StoredParagraph {
  articleId: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  /** 1-based. */
  paragraph: number;
  /** Paragraph count of the article. */
  of: number;
  text: string;
}

export interface IngestProgress {
  /** Articles processed so far, and known in all (grows while files are read). */
  done: number;
  total: number;
  words: number;
  elapsedMs: number;
}

export interface IngestSummary {
  added: string[];
  replaced: string[];
  unchanged: string[];
  failed: InputError[];
  /** Sentences whose vectors came from the embedding cache rather than the model. */
  cachedSentences: number;
  embeddedSentences: number;
  words: number;
  ms: number;
}

export interface FeedbackRecord {
  question: string;
  answer: Answer;
  helpful: boolean;
  /** Who gave it, e.g. a Discord user id; never a token. */
  by: string;
}

/** What the store holds now; cheap (counts are cached per generation), for health checks. */
export interface LibraryStats {
  articles: number;
  paragraphs: number;
  sentences: number;
  /** Rises with every committed change; 0 for a store that has never held an article. */
  generation: number;
}

/** The core, as every face (terminal, CLI, Discord, scripts) uses it. */
export interface Library {
  readonly dataDir: string;
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  ingest(files: SourceFile[], options?: { onProgress?: (p: IngestProgress) => void }): Promise<IngestSummary>;
  /** Removes an article from the store and every index. False when no such article. */
  forget(articleId: string): Promise<boolean>;
  articles(): ArticleSummary[];
  /** Finds articles by id prefix or title words, for autocomplete and `/forget`. */
  findArticles(query: string, limit?: number): ArticleSummary[];
  /** A paragraph (1-based) with up to `context` neighbours on each side. */
  paragraph(articleId: string, paragraph: number, context?: number): StoredParagraph[] | null;
  recordFeedback(feedback: FeedbackRecord): void;
  /** Throws when the store cannot be read (closed, damaged). */
  stats(): LibraryStats;
  /** Waits for an ingest in flight (stopped early if `stop` was aborted), then closes the store. */
  close(): Promise<void>;
}
