/**
 * Main-text extraction scored the way the public article-extraction benchmark (Scrapinghub/Zyte,
 * ../shared/datasets/news-html-extraction/README.md) scores it: 4-token shingles of the extracted
 * text against the hand-marked article body, per page, each page weighing the same.
 */

/** Maximal runs of word characters, case kept (the benchmark's `\w+`, Unicode). */
export function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}_]+/gu) ?? [];
}

/** Every run of 4 consecutive tokens, counted; a text of fewer than 4 tokens is one shingle. */
export function shingles(text: string, size = 4): Map<string, number> {
  const t = tokens(text);
  const out = new Map<string, number>();
  if (t.length === 0) return out;
  const n = Math.max(1, t.length - size + 1);
  for (let i = 0; i < n; i++) {
    const s = t.slice(i, i + size).join(" ");
    out.set(s, (out.get(s) ?? 0) + 1);
  }
  return out;
}

export interface PageScore {
  precision: number;
  recall: number;
  /** The extracted token list equals the truth's. */
  exact: boolean;
}

export function scorePage(extracted: string, truth: string): PageScore {
  const got = shingles(extracted);
  const want = shingles(truth);
  let tp = 0;
  for (const [s, n] of got) tp += Math.min(n, want.get(s) ?? 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const fp = total(got) - tp;
  const fn = total(want) - tp;
  const precision = fp === 0 && fn === 0 ? 1 : tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = fp === 0 && fn === 0 ? 1 : tp + fn === 0 ? 0 : tp / (tp + fn);
  return { precision, recall, exact: tokens(extracted).join(" ") === tokens(truth).join(" ") };
}

/** Mean precision and recall over pages, F1 of the two means, and the share of exact pages. */
export function summarise(scores: readonly PageScore[]): { precision: number; recall: number; f1: number; accuracy: number } {
  const mean = (f: (s: PageScore) => number) => scores.reduce((a, s) => a + f(s), 0) / Math.max(1, scores.length);
  const precision = mean((s) => s.precision);
  const recall = mean((s) => s.recall);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), accuracy: mean((s) => (s.exact ? 1 : 0)) };
}
