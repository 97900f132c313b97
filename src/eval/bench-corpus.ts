import type { DatasetArticle } from "./datasets.ts";
import { mulberry32 } from "./datasets.ts";

/** Words as ingest counts them (whitespace-separated). */
export function wordCount(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w) n++;
  return n;
}

export function articleWords(a: { paragraphs: string[] }): number {
  return a.paragraphs.reduce((n, p) => n + wordCount(p), 0);
}

/** Drops exact duplicate articles (same paragraphs), keeping the first: the BBC set has 98. */
export function dedupe(articles: readonly DatasetArticle[]): DatasetArticle[] {
  const seen = new Set<string>();
  return articles.filter((a) => {
    const key = a.paragraphs.join("\u0001");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every k-th article, so that the sample holds about `maxWords` words spread over the whole corpus. */
export function spreadSample<T extends { paragraphs: string[] }>(articles: readonly T[], maxWords: number): T[] {
  const total = articles.reduce((n, a) => n + articleWords(a), 0);
  if (total <= maxWords) return [...articles];
  const step = total / maxWords;
  const out: T[] = [];
  for (let i = 0; i < articles.length; i += step) out.push(articles[Math.floor(i)]!);
  return out;
}

/**
 * A copy of the corpus for the scale test: new ids and a marked title, so each copy is a distinct
 * article; paragraphs are unchanged, so its sentences hit the embedding cache (scale costs index
 * size, not model time).
 */
export function replicate(articles: readonly DatasetArticle[], copy: number): Record<string, unknown>[] {
  return articles.map((a) => ({ ...a.record, id: `${a.id}~copy${copy}`, title: `${a.title ?? a.id} (copy ${copy})` }));
}

const STOPWORDS = new Set(
  (
    "about above after again against also among because been before being below between both could does doing down during each " +
    "even every from further given have having here into itself just many more most much must only other over same said says " +
    "should since some such than that their them then there these they this those through under until upon very was were what " +
    "when where which while whom whose will with within without would year years your yours last first told also mr mrs ms"
  ).split(" "),
);

/** Content words of a sentence, in order: letters (with inner ' or -), 4+ characters, not a stopword. */
export function contentWords(sentence: string): string[] {
  return (sentence.match(/[A-Za-z][A-Za-z'-]*[A-Za-z]/g) ?? []).filter((w) => w.length >= 4 && !STOPWORDS.has(w.toLowerCase()));
}

/**
 * Keyword questions generated from the corpus, for latency (the BBC set has no questions).
 * Deterministic: with a fixed seed, pick an article, a paragraph and a sentence (split at . ! ?
 * followed by a space), then 4 to 6 of its content words (see `contentWords`), kept in sentence
 * order and joined by spaces, e.g. "chancellor budget spending plans". Sentences with fewer than
 * four content words are skipped.
 */
export function generateQuestions(articles: readonly { paragraphs: string[] }[], n: number, seed = 1): string[] {
  const rand = mulberry32(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const out: string[] = [];
  for (let attempts = 0; out.length < n && attempts < n * 50; attempts++) {
    const a = articles[pick(articles.length)];
    if (!a || a.paragraphs.length === 0) continue;
    const paragraph = a.paragraphs[pick(a.paragraphs.length)]!;
    const sentences = paragraph.split(/(?<=[.!?])\s+/);
    const words = contentWords(sentences[pick(sentences.length)]!);
    if (words.length < 4) continue;
    const want = Math.min(words.length, 4 + pick(3));
    const idx = words.map((_, i) => i);
    for (let i = 0; i < want; i++) {
      const j = i + pick(idx.length - i);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    out.push(
      idx
        .slice(0, want)
        .sort((x, y) => x - y)
        .map((i) => words[i]!)
        .join(" "),
    );
  }
  return out;
}
