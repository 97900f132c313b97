/** Which paragraphs of an article changed between two versions: kept, reworded, added, removed. */

export interface ParagraphDiff {
  /** A paragraph reworded: `was` in the earlier version, `now` in the later (1-based). */
  changed: { was: number; now: number; before: string; after: string }[];
  added: { now: number; text: string }[];
  removed: { was: number; text: string }[];
}

/** Two paragraphs sharing at least this share of their words are one reworded, not one removed and another added. */
const REWORDED = 0.3;

function likeness(a: string, b: string): number {
  const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const x = words(a);
  const y = words(b);
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return x.size + y.size === 0 ? 1 : shared / (x.size + y.size - shared);
}

/**
 * Paragraphs equal in both versions anchor the alignment (a longest common subsequence, so that an
 * inserted paragraph does not make every later one look changed); between two anchors, paragraphs
 * alike enough are paired in order as rewordings, and the rest was added or removed.
 */
export function diffParagraphs(before: readonly string[], after: readonly string[]): ParagraphDiff {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: the longest common subsequence of before[i..] and after[j..]. Articles have tens of paragraphs.
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const diff: ParagraphDiff = { changed: [], added: [], removed: [] };
  let gapBefore: number[] = [];
  let gapAfter: number[] = [];
  const closeGap = () => {
    // In order, each earlier paragraph pairs with the most alike later one still free after the last pair.
    let from = 0;
    const paired = new Set<number>();
    for (const i of gapBefore) {
      let best = -1;
      let bestScore = REWORDED;
      for (let k = from; k < gapAfter.length; k++) {
        const score = likeness(before[i]!, after[gapAfter[k]!]!);
        if (score >= bestScore) [best, bestScore] = [k, score];
      }
      if (best < 0) {
        diff.removed.push({ was: i + 1, text: before[i]! });
        continue;
      }
      paired.add(best);
      from = best + 1;
      diff.changed.push({ was: i + 1, now: gapAfter[best]! + 1, before: before[i]!, after: after[gapAfter[best]!]! });
    }
    gapAfter.forEach((j, k) => {
      if (!paired.has(k)) diff.added.push({ now: j + 1, text: after[j]! });
    });
    diff.added.sort((a, b) => a.now - b.now);
    gapBefore = [];
    gapAfter = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      closeGap();
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) gapBefore.push(i++);
    else gapAfter.push(j++);
  }
  closeGap();
  return diff;
}
