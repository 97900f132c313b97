import type { Citation, Quote } from "../answer/types.ts";

/**
 * What the coverage says about a claim. Never "false": `not_covered` only says the coverage does
 * not address it, and `contradicted` only where a quoted sentence shows it (another number, date
 * or name for the same thing, or an explicit negation).
 */
export type Verdict = "supported" | "partly" | "contradicted" | "not_covered";

/** `stated`: the evidence says it; `differs`: the evidence says otherwise (`coverageSays`); `not_stated`: neither. */
export type FactStatus = "stated" | "differs" | "not_stated";

export interface ClaimFact {
  /** The claim's words for it, verbatim: "30 points", "Tuesday", "Yuri Ushakov", "did not meet". */
  text: string;
  kind: "number" | "date" | "name" | "negation";
  status: FactStatus;
  /** With `differs`: the differing words, verbatim from a quoted sentence ("28 points"). */
  coverageSays?: string;
}

/**
 * A checked claim: the contract `npm run check -- --json` prints and the faces render. `quotes`
 * and `citations` are as in Answer (byte-exact substrings of stored paragraphs); for
 * `not_covered`, `quotes` is empty and `citations` names the closest paragraphs.
 */
export interface ClaimCheck {
  claim: string;
  verdict: Verdict;
  quotes: Quote[];
  citations: Citation[];
  facts: ClaimFact[];
}
