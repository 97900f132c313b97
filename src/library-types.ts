import type { Answer, AnswerOptions } from "./answer/types.ts";
import type { ClaimCheck } from "./check/types.ts";
import type { SourceFile } from "./articles/types.ts";
import type { IngestProgress, IngestSummary, RestoreResult } from "./ingest/types.ts";
import type { ArticleSummary, StoredParagraph } from "./store/views.ts";
import type { AnswerOrigin, FeedbackReport, GapReport, RatingResult, Receipt } from "./receipts/types.ts";
import type { Feeds } from "./feeds/feeds.ts";
import type { Correction, OutdatedAnswer } from "./corrections/corrections.ts";
import type { SignatureCheck } from "./common/signed-links.ts";

export type { AnswerOrigin, FeedbackReport, Gap, GapReport, RatedAnswer, Rating, RatingResult, Receipt, ReceiptCitation } from "./receipts/types.ts";
export type { IngestProgress, IngestSummary, Replacement, RestoreResult } from "./ingest/types.ts";
export type { ArticleSummary, StoredParagraph } from "./store/views.ts";
export type { FeedAdder, Feeds } from "./feeds/feeds.ts";
export type { Correction, OutdatedAnswer } from "./corrections/corrections.ts";
export type { ParagraphDiff } from "./corrections/diff.ts";
export type { Feed, PollReport } from "./feeds/types.ts";
export type { ClaimCheck, ClaimFact, FactStatus, Verdict } from "./check/types.ts";

export interface ArticlePage {
  articles: ArticleSummary[];
  total: number;
  /** How many articles have no publication date (listed after the dated ones). */
  undated: number;
  /** The page shown (the one asked for, kept within 1..pages). */
  page: number;
  pages: number;
}

/** An earlier version of an article, kept for undo: its listing fields, under a revision id. */
export interface Revision extends Omit<ArticleSummary, "id"> {
  id: number;
  articleId: string;
  /** replaced: by a new version (`supersededBy`); forgotten: by /forget; reverted: an earlier version was restored over it (`supersededBy`). */
  reason: "replaced" | "forgotten" | "reverted";
  supersededBy: string | null;
  /** When it was replaced or removed. */
  at: string;
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
  /**
   * What the coverage says about a statement: supported, partly, contradicted (only where a quoted
   * sentence shows it) or not covered, with the evidence quoted and each fact's status. Throws
   * QuestionError for an empty or too long claim.
   */
  check(claim: string): Promise<ClaimCheck>;
  ingest(files: SourceFile[], options?: { onProgress?: (p: IngestProgress) => void }): Promise<IngestSummary>;
  /** Removes an article from the store and every index; it stays restorable as a revision. False when no such article. */
  forget(articleId: string): Promise<boolean>;
  /** Earlier versions, newest first: all, or one article's (its own, and what it replaced). At most `limit` (default 25). */
  revisions(articleId?: string, limit?: number): Revision[];
  /**
   * Puts a revision's article back as it was (undoing a replacement or a /forget), removing what
   * took its place. Throws RevisionError when no such revision is kept.
   */
  restore(revisionId: number): Promise<RestoreResult>;
  /** Every article in listing order (dated newest first, undated last): a full read, for scripts and small stores. */
  articles(): ArticleSummary[];
  /** One page of the listing, read through an index: what a face shows at any store size. */
  articlePage(page: number, size: number): ArticlePage;
  article(id: string): ArticleSummary | undefined;
  /** Ids longer than `length` or starting with `prefix` (the ones a face names by a hash). */
  articleIdsLongerThan(length: number, prefix: string): string[];
  /** Finds articles by id prefix or title words (in listing order), for autocomplete and `/forget`; indexed, stops at `limit`. */
  findArticles(query: string, limit?: number): ArticleSummary[];
  /** A paragraph (1-based) with up to `context` neighbours on each side. */
  paragraph(articleId: string, paragraph: number, context?: number): StoredParagraph[] | null;
  /**
   * Records an answer a face gave (answer receipt): question, status, confidence, the cited
   * paragraphs with a hash of their text, generation, method, time and where. Returns its id
   * ("R-7K3Q9X"), to show with the answer. Kept for RECEIPT_RETENTION_DAYS.
   */
  recordAnswer(answer: Answer, where: AnswerOrigin): string;
  /** A receipt, and whether each cited paragraph still reads the same; null when not kept. Throws ReceiptIdError for a malformed id. */
  receipt(id: string): Receipt | null;
  /**
   * What the community asked that the coverage did not answer over the last `days` (default 7,
   * 1..MAX_GAP_DAYS; RangeError otherwise): declined and closest-tier questions and not-helpful
   * ratings, grouped by shared key terms (the latest MAX_GAP_QUESTIONS of them), at most `limit`
   * topics (default and max MAX_GAP_TOPICS).
   */
  gaps(options?: { days?: number; limit?: number }): Promise<GapReport>;
  /** Records the message that showed an answer, so that its feedback buttons work after a restart. */
  linkAnswerMessage(receiptId: string, messageId: string): void;
  /**
   * The members' ratings of the last `days` days (default 7, 1..MAX_GAP_DAYS; RangeError otherwise),
   * newest first, at most `limit` (default and max MAX_FEEDBACK_LISTED): with the question, never the member.
   */
  feedback(options?: { days?: number; limit?: number }): FeedbackReport;
  /** A member's rating of the answer a message shows: once per member per answer (the store's unique key). */
  rateAnswer(rating: { messageId: string; helpful: boolean; by: string }): RatingResult;
  /**
   * A member id as it may be logged or stored: a keyed hash ("m-3f9a1c2b9e"), stable for this store,
   * that cannot be turned back into the id without the store's key.
   */
  memberHash(memberId: string): string;
  /**
   * A link to a page of the staff web face (`page`: "/answers/R-7K3Q9X", query and fragment allowed)
   * under WEB_PUBLIC_URL; with `expires`, signed so that it opens the page without the token until
   * then. Null when WEB_PUBLIC_URL is not set.
   */
  webLink(page: string, options?: { expires?: Date }): string | null;
  /** The `exp` and `sig` that open `pathname` until `expires` (webLink's, for a face that builds its own address or cookie). */
  signWebPath(pathname: string, expires: Date): { exp: string; sig: string };
  /** Whether `exp` and `sig` of a signed web link were made for this path by this store's key (or WEB_LINK_SECRET), and have not expired. */
  checkWebLink(pathname: string, exp: string, sig: string): SignatureCheck;
  /** Deletes everything kept about one member (their receipts and feedback); returns how many records went. */
  forgetMember(memberId: string): number;
  /**
   * Corrections of the last `days` days (default 7), newest first: each article a new version
   * replaced, with the paragraphs reworded, added and removed. As far back as earlier versions are
   * kept (REVISION_RETENTION_DAYS).
   */
  corrections(options?: { days?: number; limit?: number; articleId?: string }): Correction[];
  /** How paragraph `paragraph` (1-based) of an article read before its latest correction; null when it has not changed. */
  earlierWording(articleId: string, paragraph: number): { before: string; at: string; was: number } | null;
  /**
   * The answers posted as messages (receipts with a channel and message) that quoted words these
   * articles no longer have: what a face edits with a correction note after an ingest or /forget.
   */
  outdatedAnswers(articleIds: string[]): OutdatedAnswer[];
  /** Followed RSS / Atom feeds: add, list, remove, and the polls that bring their new and edited items in. */
  readonly feeds: Feeds;
  /** Throws when the store cannot be read (closed, damaged). */
  stats(): LibraryStats;
  /** Waits for an ingest in flight (stopped early if `stop` was aborted), then closes the store. */
  close(): Promise<void>;
}
