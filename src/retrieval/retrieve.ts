import type { Embeddings } from "@langchain/core/embeddings";
import type { Indexes } from "../index/indexes.ts";
import type { QueryGroup } from "../index/lexical-index.ts";
import type { Store } from "../store/store.ts";

export type RetrievalMethod = "hybrid" | "bm25" | "dense";

/** How much the lexical side weighs in fusion; the dense side gets the rest (tuned with `npm run eval`). */
export const LEXICAL_WEIGHT = 0.5;
const LEXICAL_CANDIDATES = 100;
const DENSE_SENTENCES = 200;
/** Up to this many allowed paragraphs (one article, a short range) are all scored exactly. */
const EXHAUSTIVE_PARAGRAPHS = 2_000;

export interface RetrievalContext {
  store: Store;
  indexes: Indexes;
  embeddings: Embeddings;
}

export interface Candidate {
  paragraphId: number;
  /** Raw BM25 score (0 when the paragraph matched no query term). */
  bm25: number;
  /** Best cosine similarity of the question to one of the paragraph's sentences. */
  dense: number;
  /** The ranking score of the chosen method, 0..1. */
  score: number;
}

export interface Retrieval {
  questionVector: number[];
  /** Paragraphs holding each query term, over the whole coverage. */
  documentFrequency: Map<string, number>;
  candidates: Candidate[];
  embedMs: number;
  retrieveMs: number;
}

export interface RetrieveOptions {
  method?: RetrievalMethod;
  articleId?: string;
  /** Only these paragraphs (a date range, say); with articleId, those of both. */
  within?: Set<number>;
  limit?: number;
  /** Articles an earlier answer cited: all their paragraphs compete, and score this much more. */
  prefer?: { articles: Set<string>; bonus: number };
}

/** What is searched: the text to embed and the lexical query's word groups. */
export interface SearchQuery {
  text: string;
  groups: QueryGroup[];
}

export async function retrieve(ctx: RetrievalContext, query: SearchQuery, options: RetrieveOptions = {}): Promise<Retrieval> {
  const method = options.method ?? "hybrid";
  const limit = options.limit ?? 20;
  const t0 = performance.now();
  const questionVector = await ctx.embeddings.embedQuery(query.text);
  const t1 = performance.now();

  const ofArticle = options.articleId ? new Set(ctx.store.paragraphIdsOfArticle(options.articleId)) : null;
  const allowed = ofArticle && options.within ? new Set([...ofArticle].filter((id) => options.within!.has(id))) : (ofArticle ?? options.within ?? null);
  const byParagraph = new Map<number, Candidate>();
  const candidate = (paragraphId: number) => {
    let c = byParagraph.get(paragraphId);
    if (!c) byParagraph.set(paragraphId, (c = { paragraphId, bm25: 0, dense: -1, score: 0 }));
    return c;
  };

  const lexical = ctx.indexes.lexical.search(query.groups, LEXICAL_CANDIDATES, allowed ? (id) => allowed.has(id) : undefined);
  const preferred = new Set<number>();
  if (options.prefer && options.prefer.articles.size > 0) {
    for (const a of options.prefer.articles) for (const pid of ctx.store.paragraphIdsOfArticle(a)) if (!allowed || allowed.has(pid)) preferred.add(pid);
    for (const pid of preferred) candidate(pid);
  }
  if (method !== "dense") {
    for (const hit of lexical.hits) candidate(hit.paragraphId).bm25 = hit.score;
  }
  if (method !== "bm25") {
    if (allowed && allowed.size <= EXHAUSTIVE_PARAGRAPHS) {
      for (const pid of allowed) candidate(pid);
    } else {
      // A wide range (months of an archive) is searched like the whole coverage, its hits kept.
      const hits = ctx.indexes.vectors.search(questionVector, allowed ? DENSE_SENTENCES * 4 : DENSE_SENTENCES);
      const paragraphOf = ctx.store.sentenceParagraphs(hits.map((h) => h.label));
      for (const hit of hits) {
        const pid = paragraphOf.get(hit.label);
        if (pid === undefined || (allowed && !allowed.has(pid))) continue;
        const c = candidate(pid);
        c.dense = Math.max(c.dense, hit.similarity);
      }
    }
    fillDense(ctx, questionVector, [...byParagraph.values()].filter((c) => c.dense < 0));
  }

  const candidates = [...byParagraph.values()];
  if (method !== "dense" && preferred.size > 0) {
    // Paragraphs added for the conversation's articles need their BM25 score too.
    const missing = candidates.filter((c) => c.bm25 === 0 && preferred.has(c.paragraphId));
    if (missing.length > 0) {
      const ids = new Set(missing.map((c) => c.paragraphId));
      for (const hit of ctx.indexes.lexical.search(query.groups, ids.size, (id) => ids.has(id)).hits) byParagraph.get(hit.paragraphId)!.bm25 = hit.score;
    }
  }
  score(candidates, method);
  if (options.prefer) for (const c of candidates) if (preferred.has(c.paragraphId)) c.score += options.prefer.bonus;
  candidates.sort((a, b) => b.score - a.score || b.bm25 - a.bm25);
  return {
    questionVector,
    documentFrequency: lexical.documentFrequency,
    candidates: candidates.slice(0, limit),
    embedMs: t1 - t0,
    retrieveMs: performance.now() - t1,
  };
}

/** Exact best-sentence similarity for paragraphs the approximate search did not reach. */
function fillDense(ctx: RetrievalContext, q: number[], missing: Candidate[]): void {
  const sentences = ctx.store.sentencesOfParagraphs(missing.map((c) => c.paragraphId), ctx.indexes.vectors.model);
  for (const c of missing) {
    let best = 0;
    for (const s of sentences.get(c.paragraphId) ?? []) if (s.vector) best = Math.max(best, dot(q, s.vector));
    c.dense = best;
  }
}

function score(candidates: Candidate[], method: RetrievalMethod): void {
  if (method === "bm25") {
    for (const c of candidates) c.score = c.bm25;
  } else if (method === "dense") {
    for (const c of candidates) c.score = c.dense;
  } else {
    const lex = minMax(candidates.map((c) => c.bm25));
    const den = minMax(candidates.map((c) => c.dense));
    for (const c of candidates) c.score = LEXICAL_WEIGHT * lex(c.bm25) + (1 - LEXICAL_WEIGHT) * den(c.dense);
  }
}

function minMax(values: number[]): (v: number) => number {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return hi > lo ? (v) => (v - lo) / (hi - lo) : () => (hi > 0 ? 1 : 0);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
