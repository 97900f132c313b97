/**
 * How sure the best quote answers the question, 0..1. A logistic model over signals that a single
 * retrieval score misses: how much of the question (weighted by rarity) the paragraph and the
 * sentence contain, how close the sentence's meaning is, and whether it has the kind of thing asked.
 * Coefficients and the decline threshold are calibrated with `npm run eval` (docs/quality.md).
 */
export interface ConfidenceSignals {
  paragraphCoverage: number;
  sentenceCoverage: number;
  similarity: number;
  typed: boolean;
  terms: number;
}

/**
 * `typed` is false only when the question asks for a number, date or name and the quote holds none:
 * "How much is Mourinho paid?" answered with a sentence about Mourinho without a figure. Raising its
 * weight from 0.4 to 2 (bias moved so typed answers score as before) declined 16.5% of SQuAD v2's
 * unanswerable dev-half questions instead of 13.1%, still answering 90.5% of answerable ones; 3 and
 * 4 declined more but dropped answering below 90% (docs/quality.md).
 */
const W = { bias: -6.8, paragraphCoverage: 5.0, sentenceCoverage: 1.5, similarity: 3.5, typed: 2.0 };

/** Below this, an answer is declined (override with MIN_CONFIDENCE). */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** Below MIN_CONFIDENCE but at least this: the closest coverage is quoted, labelled as maybe not answering. */
export const DEFAULT_CLOSEST_CONFIDENCE = 0.1;

export function confidence(s: ConfidenceSignals): number {
  if (s.terms === 0) return 0;
  const z =
    W.bias +
    W.paragraphCoverage * s.paragraphCoverage +
    W.sentenceCoverage * s.sentenceCoverage +
    W.similarity * s.similarity +
    (s.typed ? W.typed : 0);
  return 1 / (1 + Math.exp(-z));
}
