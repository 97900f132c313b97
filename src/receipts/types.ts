import type { Answer } from "../answer/types.ts";

/** Where an answer was given. Members are named only by the store's keyed hash (`Library.memberHash`). */
export interface AnswerOrigin {
  face: "discord" | "cli" | "chat";
  guildId?: string | null;
  channelId?: string | null;
  /** The member's raw id (e.g. a Discord user id): the receipt keeps only its keyed hash. */
  memberId?: string | null;
}

/** A cited paragraph as the answer saw it, and how it reads today. */
export interface ReceiptCitation {
  n: number;
  articleId: string;
  /** 1-based, as cited. */
  paragraph: number;
  title: string;
  /** SHA-256 of the paragraph's text when the answer was given. */
  hash: string;
  /**
   * same: the paragraph reads exactly as it did; moved: the same text is now paragraph `now`;
   * changed: the article is there but that paragraph reads differently; gone: the article is no
   * longer in the coverage.
   */
  today: "same" | "moved" | "changed" | "gone";
  /** Where the text is today (same, moved), else null. */
  now: number | null;
  /** For `changed`: whether the words quoted from it are still in the paragraph (null when nothing was quoted from it). */
  quoteStillThere: boolean | null;
}

/** An answer as it was recorded: what was asked, what was said, from what, and where. */
export interface Receipt {
  id: string;
  at: string;
  question: string;
  status: Answer["status"];
  confidence: number;
  /** The store's generation the answer was computed at. */
  generation: number;
  method: string;
  face: AnswerOrigin["face"];
  guildId: string | null;
  channelId: string | null;
  /** The member's keyed hash ("m-3f9a1c2b9e01"), or null (terminal). */
  member: string | null;
  answer: Answer;
  citations: ReceiptCitation[];
  /** True when every cited paragraph still reads the same. */
  unchanged: boolean;
  /** The members' ratings of this answer, oldest first (kept FEEDBACK_RETENTION_DAYS). */
  feedback: Rating[];
}

/** A member's 👍 / 👎 of an answer: what and when, never who (the store keeps only their keyed hash, for /forget-member). */
export interface Rating {
  helpful: boolean;
  /** ISO time. */
  at: string;
}

/** A rating as staff list it: with the question rated and the answer's receipt while it is kept. */
export interface RatedAnswer extends Rating {
  question: string;
  /** Null once the receipt is pruned (RECEIPT_RETENTION_DAYS) or was never linked (ratings from before receipts). */
  receiptId: string | null;
  /** The answer's tier, when its receipt is kept. */
  status: Answer["status"] | null;
}

/** The ratings of the last `days` days: counts over all of them, the latest listed. */
export interface FeedbackReport {
  days: number;
  /** ISO time the report looks back to. */
  since: string;
  helpful: number;
  notHelpful: number;
  /** Newest first, at most the limit asked for. */
  ratings: RatedAnswer[];
}

export type RatingResult = "recorded" | "already rated" | "unknown answer";

/** One topic the community asked about that the coverage did not answer. */
export interface Gap {
  /** The key terms shared by the questions of this group, as members typed them; the first made the group. */
  terms: string[];
  /** Questions declined or answered only with the closest coverage, and answers rated not helpful. */
  count: number;
  declined: number;
  notHelpful: number;
  /** A question of the group that holds the most of its terms (the latest of those), as asked. */
  example: string;
  /** ISO time of the latest question or rating in the group. */
  lastAsked: string;
}

/** The topics most asked and not answered over the last `days` days, most asked first. */
export interface GapReport {
  days: number;
  /** ISO time the report looks back to. */
  since: string;
  /** Unanswered questions and not-helpful ratings in that time (some may hold no key term, or fall outside the topics listed). */
  unanswered: number;
  /** How many of them were grouped: all, or the latest MAX_GAP_QUESTIONS. */
  read: number;
  gaps: Gap[];
}
