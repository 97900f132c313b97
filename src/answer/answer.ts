import type { ParagraphRow, StoredSentence } from "../store/store.ts";
import { analyseQuestion, type QueryTerm } from "../retrieval/query.ts";
import { dot, retrieve, type Candidate, type RetrievalContext } from "../retrieval/retrieve.ts";
import { idf } from "../index/lexical-index.ts";
import { contentWords } from "../index/terms.ts";
import { answerType, hasAnswerType, type AnswerType } from "./answer-type.ts";
import { CitationList } from "./citations.ts";
import { confidence, DEFAULT_CLOSEST_CONFIDENCE } from "./confidence.ts";
import { followUp, preferBonus } from "./follow-up.ts";
import { QuestionError } from "./errors.ts";
import { kindBonus, type KindSignals } from "./question-kind.ts";
import { asksForLatest, checkDay, dayOf, recencyOf, W_RECENT } from "./recency.ts";
import type { Answer, AnswerOptions, AnswerStatus, Citation, Quote, RankedParagraph } from "./types.ts";
import { quoteAttributor } from "./whose-words.ts";

export const MAX_QUESTION_CHARS = 1_000;
/** Paragraphs whose sentences compete to be quoted. */
const QUOTE_POOL = 5;
const MAX_QUOTES = 3;
/** Copies of a quoted sentence named under its citation. */
const MAX_COPIES_NAMED = 5;
/** A second or third quote must score this close to the best one to be worth showing. */
const RELATED_QUOTE_RATIO = 0.85;
/** Sentence ranking: question coverage, meaning, the paragraph's own rank, and the answer type. */
const W_COVERAGE = 0.35;
const W_SIMILARITY = 0.2;
const W_PARAGRAPH = 0.45;
const W_TYPED = 0.05;
const W_WINDOW = 0.3;
/** Joining a neighbour must not turn a quote into a paragraph. */
const MAX_JOINED_CHARS = 420;

export { QuestionError };

export interface AnswerContext extends RetrievalContext {
  minConfidence: number;
  /** Below minConfidence but at least this: the closest coverage is quoted, labelled as such. */
  closestConfidence?: number;
}

/** A sentence competing to be quoted, with the signals that rank it. */
interface Scored {
  paragraph: ParagraphRow;
  rank: number;
  sentence: StoredSentence;
  /** All sentences of its paragraph, in order; `index` is its place among them. */
  siblings: StoredSentence[];
  index: number;
  coverage: number;
  similarity: number;
  typed: boolean;
  /** How well it is the kind of sentence asked for (a role for "who is", X's words for "what did X say"). */
  fits: number;
  score: number;
}

export function checkQuestion(question: string): string {
  const q = question.replace(/\s+/g, " ").trim();
  if (q.length === 0) throw new QuestionError("The question is empty: ask something about the coverage, e.g. \"What did Peskov say about publicity?\"");
  if (q.length > MAX_QUESTION_CHARS) throw new QuestionError(`The question is ${q.length} characters long; the limit is ${MAX_QUESTION_CHARS}. Ask it in fewer words.`);
  return q;
}

export async function answer(ctx: AnswerContext, rawQuestion: string, options: AnswerOptions = {}): Promise<Answer> {
  const started = performance.now();
  const question = checkQuestion(rawQuestion);
  const vocabulary = ctx.indexes.lexical;
  const analysed = analyseQuestion(question, vocabulary);
  const follow = options.context?.length ? followUp(analysed, options.context, vocabulary) : null;
  const since = checkDay("since", options.since);
  const until = checkDay("until", options.until);
  if (since && until && since > until) throw new QuestionError(`since (${since}) is after until (${until}): nothing can be published in that range.`);
  const range = since || until ? ctx.store.paragraphIdsPublishedBetween(since, until) : null;
  const terms: QueryTerm[] = [...analysed.terms, ...(follow?.carried ?? [])];
  const retrieval = await retrieve(
    ctx,
    { text: follow?.topic ? `${follow.topic} ${analysed.text}` : embedText(question, analysed.text), groups: terms },
    {
      method: options.method,
      articleId: options.articleId,
      within: range ? new Set(range.paragraphIds) : undefined,
      limit: 20,
      prefer: follow ? { articles: follow.articles, bonus: preferBonus(follow) } : undefined,
    },
  );
  const t1 = performance.now();
  const counts = ctx.store.counts();
  const own = analysed.terms;
  const searched = {
    articles: options.articleId ? 1 : (range?.articles ?? counts.articles),
    paragraphs: options.articleId ? ctx.store.paragraphIdsOfArticle(options.articleId).length : (range?.paragraphIds.length ?? counts.paragraphs),
    terms: own.map((t) => t.word),
    articleFilter: options.articleId ?? null,
    published: range ? { since, until } : null,
    corrected: own.filter((t) => t.correctedTo !== null).map((t) => ({ from: t.word, to: t.correctedTo! })),
    fromContext: (follow?.carried ?? []).map((t) => t.correctedTo ?? t.word),
  };

  const pool = retrieval.candidates.slice(0, QUOTE_POOL);
  const paragraphs = ctx.store.paragraphsByIds(pool.map((c) => c.paragraphId));
  const sources = new CitationList(ctx.store);
  const articleOf = (id: string) => sources.article(id);
  const weighted = termWeights(terms, retrieval.documentFrequency, ctx.indexes.lexical.size);
  const type = answerType(analysed.text || question);
  const signals: KindSignals = { kind: analysed.kind, subject: analysed.subject };
  const scored = scoreSentences(ctx, pool, paragraphs, retrieval.questionVector, weighted, type, signals);
  if (asksForLatest(question)) {
    const recency = recencyOf(new Map(scored.map((s) => [s.paragraph.articleId, articleOf(s.paragraph.articleId).published])));
    for (const s of scored) s.score += W_RECENT * recency.get(s.paragraph.articleId)!;
  }
  scored.sort((a, b) => b.score - a.score);

  const best = scored[0];
  const bestParagraph = best ? paragraphs.get(best.paragraph.id)! : null;
  const conf = best
    ? confidence({
        paragraphCoverage: coverage(weighted, new Set([...contentWords(bestParagraph!.text), ...contentWords(articleOf(bestParagraph!.articleId).title)])),
        sentenceCoverage: best.coverage,
        similarity: best.similarity,
        typed: best.typed,
        terms: terms.length,
      })
    : 0;
  const threshold = options.minConfidence ?? ctx.minConfidence;
  const closestThreshold = Math.min(threshold, options.closestConfidence ?? ctx.closestConfidence ?? DEFAULT_CLOSEST_CONFIDENCE);

  const citations = sources.citations;
  const quotes: Quote[] = [];

  const status: AnswerStatus = best === undefined ? "not_found" : conf >= threshold ? "answered" : conf >= closestThreshold ? "closest" : "not_found";
  if (status !== "not_found") {
    const picked = pickQuotes(scored);
    const attribution = quoteAttributor(ctx.store);
    for (const s of picked) {
      const span = joinNeighbour(s, weighted);
      const text = s.paragraph.text.slice(span.start, span.end);
      quotes.push({
        text,
        articleId: s.paragraph.articleId,
        paragraph: s.paragraph.idx + 1,
        start: span.start,
        end: span.end,
        citation: sources.cite(s.paragraph, text),
        attribution: attribution(s.paragraph.articleId, s.paragraph.idx, span.start, span.end),
      });
    }
    const cited = citations.map((c) => c.articleId);
    picked.forEach((s, i) => {
      const copies = ctx.store.copiesOf(s.sentence.hash, cited, MAX_COPIES_NAMED);
      if (copies.length > 0) citations[quotes[i]!.citation - 1]!.alsoIn = copies;
    });
  } else {
    // The closest coverage, one paragraph per article, named but not quoted as an answer.
    sources.citeClosest(pool.map((c) => paragraphs.get(c.paragraphId)));
  }

  const ranked = rankParagraphs(ctx, citations, retrieval.candidates);
  const t2 = performance.now();
  return {
    question,
    status,
    confidence: round(conf),
    kind: analysed.kind,
    quotes,
    citations,
    searched,
    asOf: quotes.map((q) => dayOf(citations[q.citation - 1]!.published)).reduce<string | null>((newest, d) => (d && (!newest || d > newest) ? d : newest), null),
    ranked,
    timings: { embedMs: round(retrieval.embedMs), retrieveMs: round(retrieval.retrieveMs), selectMs: round(t2 - t1), totalMs: round(t2 - started) },
  };
}

/**
 * A well-formed question is embedded as asked (the sentence encoder reads its punctuation too);
 * a chat one in its rewritten form, without the filler and chat spellings.
 */
function embedText(question: string, normalised: string): string {
  const plain = question.replace(/[?!]+/g, " ").replace(/\s+/g, " ").trim();
  return normalised === plain || normalised === "" ? question : normalised;
}

/** A query word as the selector weighs it: its rarity (BM25's IDF) and its variants' weights. */
export interface WeightedTerm {
  idf: number;
  variants: Map<string, number>;
}

/**
 * Each query word weighs its IDF over the paragraphs, times its own weight (carried-over words
 * less). Its IDF is its rarest present variant's among the full-weight ones (the word itself or
 * its correction), so a widened family never makes a word look common.
 */
export function termWeights(terms: QueryTerm[], documentFrequency: Map<string, number>, n: number): WeightedTerm[] {
  return terms.map((t) => {
    const main = t.variants.filter((v) => v.weight >= 1);
    const dfs = main.map((v) => documentFrequency.get(v.term) ?? 0).filter((d) => d > 0);
    const df = dfs.length > 0 ? Math.min(...dfs) : 0;
    return { idf: t.weight * idf(n, df), variants: new Map(t.variants.map((v) => [v.term, v.weight])) };
  });
}

/** Share of the question's weighted words that a text contains (through any variant), 0..1. */
export function coverage(terms: WeightedTerm[], present: Set<string>): number {
  let total = 0;
  let hit = 0;
  for (const t of terms) {
    total += t.idf;
    let best = 0;
    for (const [term, w] of t.variants) if (w > best && present.has(term)) best = w;
    hit += t.idf * best;
  }
  return total > 0 ? hit / total : 0;
}

function scoreSentences(
  ctx: RetrievalContext,
  pool: Candidate[],
  paragraphs: Map<number, ParagraphRow>,
  q: number[],
  idf: WeightedTerm[],
  type: AnswerType,
  signals: KindSignals,
): Scored[] {
  const sentences = ctx.store.sentencesOfParagraphs(pool.map((c) => c.paragraphId), ctx.indexes.vectors.model);
  const out: Scored[] = [];
  pool.forEach((c, rank) => {
    const paragraph = paragraphs.get(c.paragraphId);
    if (!paragraph) return;
    const list = sentences.get(c.paragraphId) ?? [];
    const termsOf = list.map((s) => contentWords(paragraph.text.slice(s.start, s.end)));
    list.forEach((sentence, index) => {
      const text = paragraph.text.slice(sentence.start, sentence.end);
      const similarity = sentence.vector ? dot(q, sentence.vector) : 0;
      const cov = coverage(idf, new Set(termsOf[index]));
      // What the neighbours say counts a little: "It was held in Miami" answers with its context.
      const window = coverage(idf, new Set([...(termsOf[index - 1] ?? []), ...termsOf[index]!, ...(termsOf[index + 1] ?? [])]));
      const typed = hasAnswerType(text, type);
      const previous = index > 0 ? paragraph.text.slice(list[index - 1]!.start, list[index - 1]!.end) : null;
      const fits = kindBonus(signals, text, termsOf[index]!, previous);
      const score = W_COVERAGE * cov + W_WINDOW * window + W_SIMILARITY * similarity + W_PARAGRAPH * c.score + (typed ? W_TYPED : 0) + fits;
      out.push({ paragraph, rank, sentence, siblings: list, index, coverage: cov, similarity, typed, fits, score });
    });
  });
  return out;
}

/** The best sentence, then related ones from other paragraphs that score nearly as well. */
function pickQuotes(scored: Scored[]): Scored[] {
  const best = scored[0]!;
  const picked = [best];
  for (const s of scored.slice(1)) {
    if (picked.length >= MAX_QUOTES) break;
    if (s.score < best.score * RELATED_QUOTE_RATIO) break;
    if (picked.some((p) => p.paragraph.id === s.paragraph.id)) continue;
    // The same words from a republished copy are one quote (its citation names the copies).
    if (picked.some((p) => p.sentence.hash === s.sentence.hash || p.paragraph.text === s.paragraph.text)) continue;
    picked.push(s);
  }
  return picked;
}

/**
 * A quote that leaves question terms uncovered takes in the neighbouring sentence that covers
 * them (so "He added..." keeps its subject). The span stays a substring of the paragraph.
 */
function joinNeighbour(s: Scored, idf: WeightedTerm[]): { start: number; end: number } {
  const own = { start: s.sentence.start, end: s.sentence.end };
  if (s.coverage >= 0.99) return own;
  let best = own;
  let bestCov = s.coverage;
  for (const n of [s.siblings[s.index - 1], s.siblings[s.index + 1]]) {
    if (!n) continue;
    const span = { start: Math.min(own.start, n.start), end: Math.max(own.end, n.end) };
    if (span.end - span.start > MAX_JOINED_CHARS) continue;
    const cov = coverage(idf, new Set(contentWords(s.paragraph.text.slice(span.start, span.end))));
    if (cov > bestCov + 0.15) {
      best = span;
      bestCov = cov;
    }
  }
  return best;
}

/** Cited paragraphs first, then the rest of the retrieval ranking: what the evaluation scores. */
function rankParagraphs(ctx: RetrievalContext, citations: Citation[], candidates: Candidate[]): RankedParagraph[] {
  const ranked: RankedParagraph[] = citations.map((c) => ({ articleId: c.articleId, paragraph: c.paragraph, score: 1 }));
  const rows = ctx.store.paragraphsByIds(candidates.slice(0, 10 + citations.length).map((c) => c.paragraphId));
  for (const c of candidates) {
    if (ranked.length >= 10) break;
    const p = rows.get(c.paragraphId);
    if (!p || ranked.some((r) => r.articleId === p.articleId && r.paragraph === p.idx + 1)) continue;
    ranked.push({ articleId: p.articleId, paragraph: p.idx + 1, score: round(c.score) });
  }
  return ranked;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
