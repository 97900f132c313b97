import { isStopword } from "../index/terms.ts";
import { factsOf, nameForms, tokenize, type Fact, type Token } from "./facts.ts";
import type { ClaimFact } from "./types.ts";

/** A sentence read for facts: its tokens, facts, and how much of the claim it holds. */
export interface ReadSentence {
  text: string;
  tokens: Token[];
  facts: Fact[];
  /** The claim's weighted words it holds, 0..1. */
  coverage: number;
  /** As `coverage`, leaving out the words of one claim fact: how well the rest of the claim matches. */
  coverageWithout(fact: Fact): number;
  /** The article it is from, and every word of the retrieved paragraphs of that article. */
  articleId: string;
  articleWords: ReadonlySet<string>;
}

export interface ReadClaim {
  text: string;
  tokens: Token[];
  facts: Fact[];
}

/** A fact's status, and the sentence that shows a difference (to be quoted). */
export interface FactFinding extends ClaimFact {
  shownBy?: ReadSentence;
}

/**
 * How much of the rest of the claim a sentence must hold before a different number, date or name
 * in the same place counts as the coverage saying otherwise about the same thing (tuned on the
 * dev half of the claim set; below it the sentence may be about something else).
 */
export const SAME_THING_COVERAGE = 0.6;

export function readText(text: string, knownNames: ReadonlySet<string>): ReadClaim {
  const tokens = tokenize(text);
  return { text, tokens, facts: factsOf(text, tokens, knownNames) };
}

/**
 * Each fact of the claim against the evidence sentences: stated in one of them, or said otherwise
 * in the same place of a sentence that otherwise matches the claim (any retrieved sentence), or
 * not stated. Then the claim's affirmations that a matching sentence negates.
 */
export function compareFacts(claim: ReadClaim, evidence: ReadSentence[], pool: ReadSentence[]): FactFinding[] {
  const findings: FactFinding[] = [];
  for (const f of claim.facts) {
    const text = claim.text.slice(f.start, f.end);
    if (evidence.some((s) => states(f, claim, s))) {
      findings.push({ text, kind: f.kind, status: "stated" });
      continue;
    }
    const differs = f.kind === "negation" ? negationDiffers(f, claim, pool) : slotDiffers(f, claim, pool);
    findings.push(differs ? { text, kind: f.kind, status: "differs", coverageSays: differs.says, shownBy: differs.sentence } : { text, kind: f.kind, status: "not_stated" });
  }
  findings.push(...negatedInCoverage(claim, pool));
  return findings;
}

function states(f: Fact, claim: ReadClaim, s: ReadSentence): boolean {
  switch (f.kind) {
    case "number":
      return s.facts.some((g) => g.kind === "number" && sameNumber(f.values[0]!, g.values[0]!));
    case "date": {
      const parts = new Set(s.facts.filter((g) => g.kind === "date").flatMap((g) => g.values));
      return f.values.every((v) => parts.has(v));
    }
    case "name": {
      // The surname in the sentence itself; a first name may come from elsewhere in the article.
      const words = new Set(s.tokens.map((t) => t.norm));
      const inSentence = (v: string) => [...nameForms(v)].some((x) => words.has(x));
      const last = f.values[f.values.length - 1]!;
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
  const [va, ua] = a.split("|");
  const [vb, ub] = b.split("|");
  return Number(va) === Number(vb) && (!ua || !ub || ua === ub);
}

/** The claim fact's neighbours line up with another fact of its kind in a sentence that otherwise matches. */
function slotDiffers(f: Fact, claim: ReadClaim, pool: ReadSentence[]): { says: string; sentence: ReadSentence } | null {
  const left = claim.tokens[f.first - 1];
  const right = claim.tokens[f.last + 1];
  let best: { says: string; sentence: ReadSentence; coverage: number } | null = null;
  for (const s of pool) {
    // The claim's own fact anywhere in what was read of that article: no contradiction, only another mention.
    if (pool.some((o) => o.articleId === s.articleId && states(f, claim, o))) continue;
    const coverage = s.coverageWithout(f);
    if (coverage < SAME_THING_COVERAGE) continue;
    for (const g of s.facts) {
      if (g.kind !== f.kind || !aligned(left, right, s.tokens[g.first - 1], s.tokens[g.last + 1])) continue;
      if (!differentValue(f, g)) continue;
      if (!best || coverage > best.coverage) best = { says: s.text.slice(g.start, g.end), sentence: s, coverage };
    }
  }
  return best;
}

function differentValue(f: Fact, g: Fact): boolean {
  switch (f.kind) {
    case "number": {
      const [va, ua] = f.values[0]!.split("|");
      const [vb, ub] = g.values[0]!.split("|");
      return Number(va) !== Number(vb) && (ua ?? "") === (ub ?? "");
    }
    case "date": {
      // Another value of the same part: Tuesday for Wednesday, 2003 for 2004.
      const parts = new Map(g.values.map((v) => [v.split(":")[0]!, v]));
      return f.values.some((v) => parts.has(v.split(":")[0]!) && parts.get(v.split(":")[0]!) !== v);
    }
    case "name":
      return !f.values.some((v) => g.values.some((w) => nameForms(v).has(w)));
    case "negation":
      return false;
  }
}

/** Both neighbours the same, or one that is a content word: "in Geneva on" / "in Miami on", "30 points" / "28 points". */
function aligned(left: Token | undefined, right: Token | undefined, eLeft: Token | undefined, eRight: Token | undefined): boolean {
  const l = !!left && !!eLeft && left.norm === eLeft.norm;
  const r = !!right && !!eRight && right.norm === eRight.norm;
  return (l && r) || (l && !isStopword(left!.text.toLowerCase())) || (r && !isStopword(right!.text.toLowerCase()));
}

/** The claim negates a word that a matching sentence says without any negation before it. */
function negationDiffers(f: Fact, claim: ReadClaim, pool: ReadSentence[]): { says: string; sentence: ReadSentence } | null {
  if (f.values.length === 0) return null;
  const scope = f.values[0]!;
  for (const s of pool) {
    if (s.coverageWithout(f) < SAME_THING_COVERAGE || s.facts.some((g) => g.kind === "negation")) continue;
    const at = s.tokens.findIndex((t) => nameForms(t.norm).has(scope));
    if (at < 0) continue;
    return { says: s.text.slice(s.tokens[Math.max(0, at - 2)]!.start, s.tokens[Math.min(s.tokens.length - 1, at + 2)]!.end), sentence: s };
  }
  return null;
}

/** Words the claim affirms and a matching sentence negates: "a breakthrough" against "without a concrete breakthrough". */
function negatedInCoverage(claim: ReadClaim, pool: ReadSentence[]): FactFinding[] {
  const out: FactFinding[] = [];
  const negatedInClaim = new Set(claim.facts.filter((f) => f.kind === "negation").flatMap((f) => f.values));
  if (claim.facts.some((f) => f.kind === "negation")) return out;
  for (const s of pool) {
    for (const g of s.facts) {
      if (g.kind !== "negation" || g.values.length === 0) continue;
      const at = claim.tokens.findIndex((t) => nameForms(t.norm).has(g.values[0]!) && !negatedInClaim.has(t.norm));
      if (at < 0) continue;
      const fact: Fact = { kind: "negation", first: at, last: at, start: claim.tokens[at]!.start, end: claim.tokens[at]!.end, values: g.values };
      if (s.coverageWithout(fact) < SAME_THING_COVERAGE) continue;
      if (out.some((o) => o.text === claim.text.slice(fact.start, fact.end))) continue;
      out.push({ text: claim.text.slice(fact.start, fact.end), kind: "negation", status: "differs", coverageSays: s.text.slice(g.start, g.end), shownBy: s });
    }
  }
  return out;
}
