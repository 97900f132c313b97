import { coverage, termWeights, type AnswerContext, type WeightedTerm } from "../answer/answer.ts";
import { CitationList } from "../answer/citations.ts";
import { QuestionError } from "../answer/errors.ts";
import type { Quote } from "../answer/types.ts";
import { contentWords, words } from "../index/terms.ts";
import { analyseQuestion } from "../retrieval/query.ts";
import { dot, retrieve } from "../retrieval/retrieve.ts";
import type { ParagraphRow } from "../store/store.ts";
import { compareFacts, readText, type FactFinding, type ReadSentence } from "./compare.ts";
import { namesWritten, tokenize, type Fact } from "./facts.ts";
import type { ClaimCheck, Verdict } from "./types.ts";

/** One statement, not an article: longer claims are refused with the reason. */
export const MAX_CLAIM_CHARS = 500;
/** Paragraphs whose sentences are read for evidence. */
const POOL = 8;
/** At most this many sentences back one claim (a claim joins facts from neighbouring sentences). */
const MAX_EVIDENCE = 3;
/** A further sentence joins the evidence when it adds this much of the claim. */
const MIN_GAIN = 0.15;
/** Sentence ranking: the claim's words it holds, its meaning, and its paragraph's rank. */
const W_COVERAGE = 0.6;
const W_SIMILARITY = 0.25;
const W_PARAGRAPH = 0.15;
/**
 * Below this share of the claim's weighted words in the best sentence, the coverage does not
 * address it; at or above SUPPORTED in the evidence, with every fact stated, it supports it
 * (tuned on the dev half of the claim set).
 */
export const COVERED = 0.5;
export const SUPPORTED = 0.75;
/** A sentence that opens with a pronoun speaks of whom the one before named. */
const ANAPHOR = /^(?:He|She|It|They|His|Her|Its|Their|This|That|These|Those)\b/;

export function checkClaimText(claim: string): string {
  const c = claim.replace(/\s+/g, " ").trim();
  if (c.length === 0) throw new QuestionError('The claim is empty: give one statement to check, e.g. "Russia rejected all of the U.S. proposals".');
  if (c.length > MAX_CLAIM_CHARS) throw new QuestionError(`The claim is ${c.length} characters long; the limit is ${MAX_CLAIM_CHARS}. Check one statement at a time.`);
  return c;
}

interface Candidate extends ReadSentence {
  paragraph: ParagraphRow;
  sentenceStart: number;
  sentenceEnd: number;
  present: Set<string>;
  score: number;
}

export async function checkClaim(ctx: AnswerContext, rawClaim: string): Promise<ClaimCheck> {
  const claim = checkClaimText(rawClaim);
  const analysed = analyseQuestion(claim, ctx.indexes.lexical);
  const retrieval = await retrieve(ctx, { text: claim, groups: analysed.terms }, { limit: POOL });
  const weights = termWeights(analysed.terms, retrieval.documentFrequency, ctx.indexes.lexical.size);
  const pool = retrieval.candidates;
  const paragraphs = ctx.store.paragraphsByIds(pool.map((c) => c.paragraphId));
  const sources = new CitationList(ctx.store);

  const known = new Set<string>();
  for (const p of paragraphs.values()) for (const n of namesWritten(p.text)) known.add(n);
  const read = readText(claim, known);
  const sentences = readPool(ctx, pool, paragraphs, weights, read.tokens.map((t) => t.norm), retrieval.questionVector, known);
  sentences.sort((a, b) => b.score - a.score);

  const evidence = pickEvidence(sentences, weights);
  const covered = evidence.length ? coverage(weights, new Set(evidence.flatMap((s) => [...s.present]))) : 0;
  const findings = evidence.length ? compareFacts(read, evidence, sentences) : [];
  // A sentence saying otherwise matches the rest of the claim by construction; short of one, the
  // best sentence must hold at least half of the claim for the coverage to address it at all.
  const contradicted = findings.some((f) => f.status === "differs");
  if (!contradicted && (evidence[0]?.coverage ?? 0) < COVERED) {
    sources.citeClosest(pool.map((c) => paragraphs.get(c.paragraphId)));
    return { claim, verdict: "not_covered", quotes: [], citations: sources.citations, facts: read.facts.map((f) => ({ text: claim.slice(f.start, f.end), kind: f.kind, status: "not_stated" })) };
  }
  const verdict: Verdict = contradicted ? "contradicted" : covered >= SUPPORTED && findings.every((f) => f.status === "stated") ? "supported" : "partly";
  const shown = [...evidence];
  for (const f of findings) if (f.shownBy && !shown.includes(f.shownBy)) shown.push(f.shownBy);
  const quotes: Quote[] = shown.map((s) => {
    const text = s.paragraph.text.slice(s.sentenceStart, s.sentenceEnd);
    return { text, articleId: s.paragraph.articleId, paragraph: s.paragraph.idx + 1, start: s.sentenceStart, end: s.sentenceEnd, citation: sources.cite(s.paragraph, text) };
  });
  return { claim, verdict, quotes, citations: sources.citations, facts: findings.map(({ shownBy: _, ...f }: FactFinding<Candidate>) => f) };
}

/** Every sentence of the retrieved paragraphs, ranked as evidence for the claim. */
function readPool(
  ctx: AnswerContext,
  pool: { paragraphId: number; score: number }[],
  paragraphs: Map<number, ParagraphRow>,
  weights: WeightedTerm[],
  claimNorms: string[],
  claimVector: number[],
  known: ReadonlySet<string>,
): Candidate[] {
  const stored = ctx.store.sentencesOfParagraphs(pool.map((c) => c.paragraphId), ctx.indexes.vectors.model);
  const articleWords = new Map<string, Set<string>>();
  for (const p of paragraphs.values()) {
    const words = articleWords.get(p.articleId) ?? new Set<string>();
    for (const t of tokenize(p.text)) words.add(t.norm);
    articleWords.set(p.articleId, words);
  }
  const out: Candidate[] = [];
  for (const c of pool) {
    const p = paragraphs.get(c.paragraphId);
    if (!p) continue;
    const list = stored.get(c.paragraphId) ?? [];
    const wordsOf = list.map((s) => contentWords(p.text.slice(s.start, s.end)));
    list.forEach((s, index) => {
      const text = p.text.slice(s.start, s.end);
      // The same sentence from a republished copy is one piece of evidence.
      if (out.some((o) => o.text === text)) return;
      const tokens = tokenize(text);
      const facts = readText(text, known).facts;
      const present = new Set(wordsOf[index]);
      // "He stressed that no..." takes its subject from the sentence before; other sentences stand alone.
      const window = ANAPHOR.test(text) ? new Set([...(wordsOf[index - 1] ?? []), ...wordsOf[index]!]) : present;
      const cov = coverage(weights, present);
      const without = (f: Fact) => {
        const own = new Set(claimNorms.slice(f.first, f.last + 1));
        return coverage(
          weights.filter((w) => ![...w.variants.keys()].some((v) => own.has(v))),
          window,
        );
      };
      const similarity = s.vector ? dot(claimVector, s.vector) : 0;
      out.push({
        text,
        tokens,
        names: namesOf(text, facts),
        facts,
        coverage: cov,
        coverageWithout: without,
        articleId: p.articleId,
        paragraphId: p.id,
        articleWords: articleWords.get(p.articleId)!,
        paragraph: p,
        sentenceStart: s.start,
        sentenceEnd: s.end,
        present,
        score: W_COVERAGE * cov + W_SIMILARITY * similarity + W_PARAGRAPH * c.score,
      });
    });
  }
  return out;
}

/** The best sentence, then sentences of the same article that add what it leaves out. */
function pickEvidence(sentences: Candidate[], weights: WeightedTerm[]): Candidate[] {
  const best = sentences[0];
  if (!best) return [];
  const picked = [best];
  const present = new Set(best.present);
  let covered = coverage(weights, present);
  while (picked.length < MAX_EVIDENCE) {
    let next: Candidate | null = null;
    let gain = 0;
    for (const s of sentences) {
      if (picked.includes(s) || s.articleId !== best.articleId) continue;
      const g = coverage(weights, new Set([...present, ...s.present])) - covered;
      if (g > gain) (next = s), (gain = g);
    }
    if (!next || gain < MIN_GAIN) break;
    picked.push(next);
    for (const w of next.present) present.add(w);
    covered += gain;
  }
  return picked;
}

/** The names a sentence writes, word by word and whole, and the aliases its words join into ("European Union"). */
function namesOf(text: string, facts: Fact[]): Set<string> {
  const names = new Set<string>();
  for (const f of facts) {
    if (f.kind !== "name") continue;
    for (const v of f.values) names.add(v);
    names.add(f.values.join(""));
  }
  const written = new Set(words(text));
  for (const alias of ["usa", "uk", "eu", "un"]) if (written.has(alias)) names.add(alias);
  return names;
}
