/**
 * Answer-quality metrics, as pure functions over one question's outcome and its gold data.
 *
 * Conventions (also in `npm run eval -- --help`):
 * - Ranking metrics (Hits@k, MRR@10) count questions that have evidence; a question's rank is the
 *   1-based position of the first ranked paragraph that is one of its evidence paragraphs.
 *   Ranked paragraphs are 1-based, dataset `paragraph_index` is 0-based: they match when
 *   `ranked.paragraph - 1 === evidence.paragraphIndex`.
 * - answer-in-quote counts answerable questions (non-empty `answers`): some gold answer appears,
 *   case-insensitively, in the returned quote texts joined by a space. No quote: a miss.
 * - verbatim: share of all returned quotes whose text equals the stored paragraph text at the
 *   quote's [start, end). Null when no quote was returned or the method has no quotes.
 * - abstention: not answering (`not_found`, or `closest`: quoted but labelled as maybe not
 *   answering) is the positive class. precision = not answered on unanswerable / all not answered;
 *   recall = not answered on unanswerable / unanswerable; answeredRate = answered on answerable /
 *   answerable; balancedAccuracy = mean(recall, answeredRate). Without unanswerable questions in
 *   the set, precision, recall and balancedAccuracy are null (not measurable).
 * - useful: answerable questions whose shown quotes (answered or closest tier) hold a gold answer.
 * - confidentlyWrong: answered-tier replies whose quotes hold no gold answer (an unanswerable
 *   question answered counts), over all answered-tier replies.
 * - tiers: share of all questions answered / closest / not_found.
 * Every rate is a fraction in 0..1; null means "no denominator" or "not applicable".
 */

export interface RankedRef {
  articleId: string;
  /** 1-based. */
  paragraph: number;
}

export interface GoldEvidence {
  articleId: string;
  /** 0-based, as in the dataset. */
  paragraphIndex: number;
}

export interface Gold {
  answers: string[];
  evidence: GoldEvidence[];
  /** Groups the per-style figures; null: not grouped. */
  style?: string | null;
}

/** What one method returned for one question. */
export interface Outcome {
  ranked: RankedRef[];
  /** The text the answer shows: quotes joined by a space (or the top chunk for a method without quotes). */
  answerText: string;
  /** Null when the method has no notion of declining. */
  status: "answered" | "closest" | "not_found" | null;
  /** Quotes checked against the stored text; null when the method has no quotes. */
  verbatim: { checked: number; ok: number } | null;
  /** Whether two of the answer's citations are copies of one paragraph (the same text in two articles); null: not checked. */
  duplicateCitation?: boolean | null;
}

export interface MethodMetrics {
  "hits@1": number | null;
  "hits@4": number | null;
  "hits@10": number | null;
  "mrr@10": number | null;
  answerInQuote: number | null;
  verbatim: number | null;
  abstain: {
    precision: number | null;
    recall: number | null;
    answeredRate: number | null;
    balancedAccuracy: number | null;
  };
  useful: number | null;
  confidentlyWrong: number | null;
  tiers: { answered: number | null; closest: number | null; notFound: number | null };
  /** Share of answers citing two copies of the same paragraph (republished wire copy): must be 0. */
  duplicateCitations?: number | null;
  /** The same figures per question style (without their own byStyle). */
  byStyle?: Record<string, MethodMetrics>;
}

/** Counts behind the rates, for the human table and for checking the arithmetic. */
export interface MethodCounts {
  questions: number;
  withEvidence: number;
  answerable: number;
  unanswerable: number;
  notFound: number;
  notFoundOnUnanswerable: number;
  answeredOnAnswerable: number;
  answerInQuote: number;
  quotesChecked: number;
  quotesVerbatim: number;
  useful: number;
  answeredTier: number;
  answeredWrong: number;
  closestTier: number;
  duplicateChecked: number;
  duplicateCitations: number;
}

/** 1-based rank of the first gold paragraph in `ranked`, or null when none is there. */
export function goldRank(ranked: readonly RankedRef[], evidence: readonly GoldEvidence[]): number | null {
  for (let i = 0; i < ranked.length; i++) {
    const r = ranked[i]!;
    if (evidence.some((e) => e.articleId === r.articleId && e.paragraphIndex === r.paragraph - 1)) return i + 1;
  }
  return null;
}

export function hitAt(rank: number | null, k: number): boolean {
  return rank !== null && rank <= k;
}

export function reciprocalRank(rank: number | null, cutoff = 10): number {
  return rank !== null && rank <= cutoff ? 1 / rank : 0;
}

/** Some gold answer occurs in the text, ignoring case. */
export function answerInText(answers: readonly string[], text: string): boolean {
  const hay = text.toLowerCase();
  return answers.some((a) => a.length > 0 && hay.includes(a.toLowerCase()));
}

/** The quote is the stored paragraph text at its recorded offsets, byte for byte. */
export function isVerbatim(quote: { text: string; start: number; end: number }, paragraphText: string | null | undefined): boolean {
  return typeof paragraphText === "string" && quote.start >= 0 && quote.end <= paragraphText.length && paragraphText.slice(quote.start, quote.end) === quote.text;
}

export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

/** Sums outcomes of one method over a question set. */
export class MethodAccumulator {
  private hits1 = 0;
  private hits4 = 0;
  private hits10 = 0;
  private rrSum = 0;
  private sawStatus = false;
  private sawVerbatim = false;
  readonly counts: MethodCounts = {
    questions: 0,
    withEvidence: 0,
    answerable: 0,
    unanswerable: 0,
    notFound: 0,
    notFoundOnUnanswerable: 0,
    answeredOnAnswerable: 0,
    answerInQuote: 0,
    quotesChecked: 0,
    quotesVerbatim: 0,
    useful: 0,
    answeredTier: 0,
    answeredWrong: 0,
    closestTier: 0,
    duplicateChecked: 0,
    duplicateCitations: 0,
  };
  private readonly styles = new Map<string, MethodAccumulator>();

  constructor(private readonly byStyle = true) {}

  add(gold: Gold, outcome: Outcome): void {
    if (this.byStyle && gold.style) {
      let sub = this.styles.get(gold.style);
      if (!sub) this.styles.set(gold.style, (sub = new MethodAccumulator(false)));
      sub.add(gold, outcome);
    }
    const c = this.counts;
    c.questions++;
    const answerable = gold.answers.length > 0;
    if (gold.evidence.length > 0) {
      c.withEvidence++;
      const rank = goldRank(outcome.ranked, gold.evidence);
      if (hitAt(rank, 1)) this.hits1++;
      if (hitAt(rank, 4)) this.hits4++;
      if (hitAt(rank, 10)) this.hits10++;
      this.rrSum += reciprocalRank(rank, 10);
    }
    if (answerable) {
      c.answerable++;
      if (answerInText(gold.answers, outcome.answerText)) c.answerInQuote++;
    } else c.unanswerable++;
    if (outcome.status !== null) {
      this.sawStatus = true;
      const inText = answerable && answerInText(gold.answers, outcome.answerText);
      if (outcome.status !== "answered") {
        c.notFound++;
        if (!answerable) c.notFoundOnUnanswerable++;
      } else if (answerable) c.answeredOnAnswerable++;
      if (outcome.status === "answered") {
        c.answeredTier++;
        if (!inText) c.answeredWrong++;
      }
      if (outcome.status === "closest") c.closestTier++;
      if (outcome.status !== "not_found" && inText) c.useful++;
    }
    if (outcome.duplicateCitation !== undefined && outcome.duplicateCitation !== null) {
      c.duplicateChecked++;
      if (outcome.duplicateCitation) c.duplicateCitations++;
    }
    if (outcome.verbatim) {
      this.sawVerbatim = true;
      c.quotesChecked += outcome.verbatim.checked;
      c.quotesVerbatim += outcome.verbatim.ok;
    }
  }

  metrics(): MethodMetrics {
    const c = this.counts;
    const measurable = this.sawStatus && c.unanswerable > 0;
    const recall = measurable ? ratio(c.notFoundOnUnanswerable, c.unanswerable) : null;
    const answeredRate = this.sawStatus ? ratio(c.answeredOnAnswerable, c.answerable) : null;
    return {
      "hits@1": ratio(this.hits1, c.withEvidence),
      "hits@4": ratio(this.hits4, c.withEvidence),
      "hits@10": ratio(this.hits10, c.withEvidence),
      "mrr@10": c.withEvidence > 0 ? this.rrSum / c.withEvidence : null,
      answerInQuote: ratio(c.answerInQuote, c.answerable),
      verbatim: this.sawVerbatim ? ratio(c.quotesVerbatim, c.quotesChecked) : null,
      abstain: {
        precision: measurable ? ratio(c.notFoundOnUnanswerable, c.notFound) : null,
        recall,
        answeredRate,
        balancedAccuracy: recall !== null && answeredRate !== null ? (recall + answeredRate) / 2 : null,
      },
      useful: this.sawStatus ? ratio(c.useful, c.answerable) : null,
      confidentlyWrong: this.sawStatus ? ratio(c.answeredWrong, c.answeredTier) : null,
      tiers: {
        answered: this.sawStatus ? ratio(c.answeredTier, c.questions) : null,
        closest: this.sawStatus ? ratio(c.closestTier, c.questions) : null,
        notFound: this.sawStatus ? ratio(c.questions - c.answeredTier - c.closestTier, c.questions) : null,
      },
      duplicateCitations: c.duplicateChecked > 0 ? ratio(c.duplicateCitations, c.duplicateChecked) : null,
      ...(this.styles.size > 0 ? { byStyle: Object.fromEntries([...this.styles].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.metrics()])) } : {}),
    };
  }
}

/** Rounds every number in the metrics to `digits` decimals (JSON output). */
export function roundMetrics(m: MethodMetrics, digits = 4): MethodMetrics {
  const r = (x: number | null) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
  return {
    "hits@1": r(m["hits@1"]),
    "hits@4": r(m["hits@4"]),
    "hits@10": r(m["hits@10"]),
    "mrr@10": r(m["mrr@10"]),
    answerInQuote: r(m.answerInQuote),
    verbatim: r(m.verbatim),
    abstain: {
      precision: r(m.abstain.precision),
      recall: r(m.abstain.recall),
      answeredRate: r(m.abstain.answeredRate),
      balancedAccuracy: r(m.abstain.balancedAccuracy),
    },
    useful: r(m.useful),
    confidentlyWrong: r(m.confidentlyWrong),
    tiers: { answered: r(m.tiers.answered), closest: r(m.tiers.closest), notFound: r(m.tiers.notFound) },
    duplicateCitations: r(m.duplicateCitations ?? null),
    ...(m.byStyle ? { byStyle: Object.fromEntries(Object.entries(m.byStyle).map(([k, v]) => [k, roundMetrics(v, digits)])) } : {}),
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
