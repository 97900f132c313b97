import type { QuestionKind } from "../retrieval/query.ts";
import type { RetrievalMethod } from "../retrieval/retrieve.ts";

import type { ParagraphRef } from "../articles/types.ts";
import type { Attribution } from "../attribution/types.ts";

export type { Attribution, ParagraphRef, QuestionKind, RetrievalMethod };

/**
 * The one structured answer every face renders (terminal, CLI JSON, Discord).
 * Field names are a public contract: `ask --json`, the evaluation scripts and other tools read them.
 */
export interface Answer {
  question: string;
  /**
   * `answered`: the quotes answer the question (confidence >= the threshold). `closest`: the
   * closest coverage, quoted verbatim but possibly not answering; faces must label it so ("closest
   * coverage — this may not answer your question"). `not_found`: nothing close; no quotes.
   */
  status: AnswerStatus;
  /** 0..1, calibrated: below the configured threshold the status is `closest` or `not_found`. */
  confidence: number;
  /** What kind of answer the question wants, as understood. */
  kind: QuestionKind;
  /** 1-3 quotes when answered or closest; empty when not_found. */
  quotes: Quote[];
  /** Numbered sources of the quotes (answered, closest), or the closest paragraphs found (not_found). */
  citations: Citation[];
  /** What was searched, so a decline can say so. */
  searched: {
    articles: number;
    paragraphs: number;
    /** The member's own words, normalised (lower case, chat spellings expanded, filler dropped); never stems. */
    terms: string[];
    articleFilter: string | null;
    /** The publication days searched (`since`/`until`), or null for all the coverage. */
    published: { since: string | null; until: string | null } | null;
    /** Words searched in the coverage's spelling instead ("zelensky" -> "zelenskiy"). */
    corrected: { from: string; to: string }[];
    /** Words carried over from earlier questions of the conversation (a follow-up). */
    fromContext: string[];
  };
  /**
   * The newest publication day ("YYYY-MM-DD") of the articles quoted: what the answer is "as of".
   * Null when nothing is quoted or no quoted article has a date (faces then say "undated").
   */
  asOf: string | null;
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
  /**
   * Whose words these are: `{ "kind": "reporting" }`, the outlet's own reporting, or
   * `{ "kind": "attributed", "speaker": "Dmitry Peskov" }`, words the article gives to a person or
   * body (a speech verb, "according to", a quotation and whoever speaks it). `speaker` is the
   * fullest name the article gives, without titles, or its description of an unnamed source ("a
   * senior Russian aide"). When the quote spans sentences, the first attributed one decides. Set
   * on every quote `answer()` returns; faces show an attributed quote as the speaker's words "as
   * reported by" the outlet, never as the outlet's finding. Optional only for Answers built
   * elsewhere (older receipts, tests).
   */
  attribution?: Attribution;
}

export interface Citation extends ParagraphRef {
  n: number;
  /**
   * Other articles that ran the quoted words too (wire copy republished under another id), newest
   * first: quoted once, named here. Absent when none did.
   */
  alsoIn?: { articleId: string; title: string; outlet: string | null; published: string | null }[];
  /** The URL with a text fragment that jumps to the quoted words, where the article has a URL. */
  link: string | null;
  /** The article's page on the staff web face at this paragraph, the quoted words marked; only when WEB_PUBLIC_URL is set. */
  verify?: string;
}

export interface RankedParagraph {
  articleId: string;
  /** 1-based. */
  paragraph: number;
  score: number;
}

export type AnswerStatus = "answered" | "closest" | "not_found";


/** An earlier question of the conversation and what was answered, oldest first. */
export interface ConversationTurn {
  question: string;
  /** The answer given; its cited articles are preferred for the follow-up. */
  answer?: Pick<Answer, "citations"> | null;
}

export interface AnswerOptions {
  /** Restrict to one article (id). */
  articleId?: string;
  /** Override the calibrated decline threshold (0..1). */
  minConfidence?: number;
  /** Override the calibrated threshold of the closest tier (0..1, at most minConfidence). */
  closestConfidence?: number;
  /** The earlier turns of the conversation, oldest first: pronouns and left-out topics are resolved from them. */
  context?: ConversationTurn[];
  /** Retrieval method, for evaluation: the product always uses "hybrid". */
  method?: RetrievalMethod;
  /** Only articles published on or after this day ("YYYY-MM-DD"); undated articles are left out. */
  since?: string;
  /** Only articles published on or before this day ("YYYY-MM-DD"); undated articles are left out. */
  until?: string;
}

