import { isStopword } from "../index/terms.ts";
import { factsOf, nameForms, tokenize, type Fact, type Token } from "./facts.ts";
import type { ClaimFact } from "./types.ts";

/** A sentence read for facts: its tokens, facts, and how much of the claim it holds. */
export interface ReadSentence {
  text: string;
  tokens: Token[];
  /**
   * The words it writes as names, normalised, with aliases joined over the whole text ("European
   * Union" -> "eu") and each name also as one word ("Time Warner" -> "timewarner").
   */
  names: ReadonlySet<string>;
  facts: Fact[];
  /** The claim's weighted words it holds, 0..1. */
  coverage: number;
  /**
   * As `coverage`, leaving out the words of one claim fact: how well the rest of the claim
   * matches. A sentence opening with a pronoun counts the one before ("Peskov ... He stressed that no...").
   */
  coverageWithout(fact: Fact): number;
  /** The article and paragraph it is from, and every word of the retrieved paragraphs of that article. */
  articleId: string;
  paragraphId: number;
  articleWords: ReadonlySet<string>;
}

export interface ReadClaim {
  text: string;
  tokens: Token[];
  facts: Fact[];
}

/** A fact's status, and the sentence that shows a difference (to be quoted). */
export interface FactFinding<S extends ReadSentence = ReadSentence> extends ClaimFact {
  shownBy?: S;
}

/**
 * How much of the rest of the claim a sentence must hold before a different number, date or name
 * in the same place counts as the coverage saying otherwise about the same thing (tuned on the
 * dev half of the claim set; below it the sentence may be about something else).
 */
export const SAME_THING_COVERAGE = 0.6;
const NEGATING_VERB = /\b(?:fail|refus|den(?:y|ie)|reject|declin|unable|lack|absen)/i;
/** How far the same place is looked for on each side of a fact. */
const CONTEXT_WORDS = 3;

export function readText(text: string, knownNames: ReadonlySet<string>): ReadClaim {
  const tokens = tokenize(text);
  return { text, tokens, facts: factsOf(text, tokens, knownNames) };
}

/**
 * Each fact of the claim against the evidence sentences: stated in one of them, or said otherwise
 * in the same place of a sentence that otherwise matches the claim (any retrieved sentence), or
 * not stated. Then the claim's affirmations that a matching sentence negates.
 */
export function compareFacts<S extends ReadSentence>(claim: ReadClaim, evidence: S[], pool: S[]): FactFinding<S>[] {
  const findings: FactFinding<S>[] = [];
  for (const f of claim.facts) {
    const text = claim.text.slice(f.start, f.end);
    const statedBy = evidence.filter((s) => states(f, s));
    const differs = f.kind === "negation" ? (statedBy.length ? null : negationDiffers(f, pool)) : slotDiffers(f, claim, pool);
    // A name stated only in a sentence about something else ("Ushakov said Moscow had received...")
    // does not outweigh the sentence that says the rest of the claim with another name in its place.
    const stated = statedBy.some((s) => !differs || s.coverageWithout(f) >= differs.sentence.coverageWithout(f));
    if (stated) findings.push({ text, kind: f.kind, status: "stated" });
    else if (differs) findings.push({ text, kind: f.kind, status: "differs", coverageSays: differs.says, shownBy: differs.sentence });
    else findings.push({ text, kind: f.kind, status: "not_stated" });
  }
  findings.push(...negatedInCoverage(claim, pool));
  return findings;
}

function states(f: Fact, s: ReadSentence): boolean {
  switch (f.kind) {
    case "number":
      return s.facts.some((g) => g.kind === "number" && sameNumber(f.values[0]!, g.values[0]!));
    case "date": {
      const parts = new Set(s.facts.filter((g) => g.kind === "date").flatMap((g) => g.values));
      return f.values.every((v) => parts.has(v));
    }
    case "name": {
      // The surname written as a name in the sentence itself ("nations" is not "United Nations");
      // a first name may come from elsewhere in the article. "Time Warner" is "TimeWarner".
      const inSentence = (v: string) => [...nameForms(v)].some((x) => s.names.has(x));
      const last = f.values[f.values.length - 1]!;
      if (s.names.has(f.values.join(""))) return true;
      return inSentence(last) && f.values.every((v) => inSentence(v) || [...nameForms(v)].some((x) => s.articleWords.has(x)));
    }
    case "negation": {
      const negations = s.facts.filter((g) => g.kind === "negation");
      if (f.values.length === 0) return negations.length > 0;
      return negations.some((g) => g.values.some((v) => nameForms(v).has(f.values[0]!)));
    }
  }
}

function sameNumber(a: string, b: string): boolean {
  if (isQuantifier(a) || isQuantifier(b)) return a === b;
  const [va, ua] = a.split("|");
  const [vb, ub] = b.split("|");
  return Number(va) === Number(vb) && (!ua || !ub || ua === ub);
}

/** "all", "only": stated or not, never a different number. */
const isQuantifier = (value: string) => value.startsWith("q:");

/** The claim fact's neighbours line up with another fact of its kind in a sentence that otherwise matches. */
function slotDiffers<S extends ReadSentence>(f: Fact, claim: ReadClaim, pool: S[]): { says: string; sentence: S } | null {
  let best: { says: string; sentence: S; coverage: number } | null = null;
  for (const s of pool) {
    // The claim's own fact in the same paragraph: another mention of it, not a contradiction.
    if (pool.some((o) => o.paragraphId === s.paragraphId && states(f, o))) continue;
    const coverage = s.coverageWithout(f);
    if (coverage < SAME_THING_COVERAGE) continue;
    for (const g of s.facts) {
      if (g.kind !== f.kind || !aligned(claim.tokens, f, s.tokens, g)) continue;
      if (!differentValue(f, g)) continue;
      if (!best || coverage > best.coverage) best = { says: s.text.slice(g.start, g.end), sentence: s, coverage };
    }
  }
  return best;
}

function differentValue(f: Fact, g: Fact): boolean {
  switch (f.kind) {
    case "number": {
      if (isQuantifier(f.values[0]!) || isQuantifier(g.values[0]!)) return false;
      const [va, ua] = f.values[0]!.split("|");
      const [vb, ub] = g.values[0]!.split("|");
      return Number(va) !== Number(vb) && (ua ?? "") === (ub ?? "");
    }
    case "date": {
      // Another value of the same part: Tuesday for Wednesday, 2003 for 2004.
      const parts = new Map(g.values.map((v) => [v.split(":")[0]!, v]));
      return f.values.some((v) => parts.has(v.split(":")[0]!) && parts.get(v.split(":")[0]!) !== v);
    }
    case "name": {
      // "University of Glasgow" is not "University of Edinburgh"; "Steve Witkoff" is "Witkoff".
      const shares = (word: string, other: string[]) => other.some((w) => nameForms(word).has(w));
      return f.values.join("") !== g.values.join("") && !shares(f.values[f.values.length - 1]!, g.values) && !shares(g.values[g.values.length - 1]!, f.values);
    }
    case "negation":
      return false;
  }
}

/**
 * The same place in both: the words on one side, up to and including the nearest content word
 * (at most three), are the same ("on the ministry's website on 19 February" / "... on 9
 * February", "30 points" / "28 points"), or both next words are ("in Geneva on" / "in Miami on").
 */
function aligned(claim: Token[], f: { first: number; last: number }, sentence: Token[], g: { first: number; last: number }): boolean {
  const side = (step: -1 | 1): boolean => {
    for (let k = 1; k <= CONTEXT_WORDS; k++) {
      const a = claim[step < 0 ? f.first - k : f.last + k];
      const b = sentence[step < 0 ? g.first - k : g.last + k];
      if (!a || !b || a.norm !== b.norm) return false;
      if (!isStopword(a.text.toLowerCase())) return true;
    }
    return false;
  };
  const next = (step: -1 | 1) => {
    const a = claim[step < 0 ? f.first - 1 : f.last + 1];
    const b = sentence[step < 0 ? g.first - 1 : g.last + 1];
    return !!a && !!b && a.norm === b.norm;
  };
  return side(-1) || side(1) || (next(-1) && next(1));
}

/**
 * The claim negates a word that a matching sentence says with no negation in it at all, nor a verb
 * that negates ("failed to win" is not "won").
 */
function negationDiffers<S extends ReadSentence>(f: Fact, pool: S[]): { says: string; sentence: S } | null {
  if (f.values.length === 0) return null;
  const scope = f.values[0]!;
  for (const s of pool) {
    if (s.coverageWithout(f) < SAME_THING_COVERAGE || s.facts.some((g) => g.kind === "negation") || NEGATING_VERB.test(s.text)) continue;
    const at = s.tokens.findIndex((t) => nameForms(t.norm).has(scope));
    if (at < 0) continue;
    return { says: s.text.slice(s.tokens[Math.max(0, at - 2)]!.start, s.tokens[Math.min(s.tokens.length - 1, at + 2)]!.end), sentence: s };
  }
  return null;
}

/** Words the claim affirms and a matching sentence negates: "a breakthrough" against "without a concrete breakthrough". */
function negatedInCoverage<S extends ReadSentence>(claim: ReadClaim, pool: S[]): FactFinding<S>[] {
  const out: FactFinding<S>[] = [];
  // A claim with a negation of its own is read by its negation fact instead.
  if (claim.facts.some((f) => f.kind === "negation")) return out;
  for (const s of pool) {
    for (const g of s.facts) {
      if (g.kind !== "negation" || g.values.length === 0) continue;
      const at = claim.tokens.findIndex((t) => nameForms(t.norm).has(g.values[0]!));
      if (at < 0) continue;
      const fact: Fact = { kind: "negation", first: at, last: at, start: claim.tokens[at]!.start, end: claim.tokens[at]!.end, values: g.values };
      if (s.coverageWithout(fact) < SAME_THING_COVERAGE) continue;
      if (out.some((o) => o.text === claim.text.slice(fact.start, fact.end))) continue;
      out.push({ text: claim.text.slice(fact.start, fact.end), kind: "negation", status: "differs", coverageSays: s.text.slice(g.start, g.end), shownBy: s });
    }
  }
  return out;
}
