/**
 * Is a new upload a new version of a stored article, or a different story that happens to come
 * from a file of the same name? Only the text can tell, and only when the change is small: a
 * correction keeps almost every word in place, while a different story (even a follow-up that
 * repeats its predecessor's background paragraphs) rewrites most of it.
 *
 * The measure is the word-level diff: insertions plus deletions (Myers) turning one text into the
 * other, over the words of both, so `1 - edits / (words of both)`; 1 is the same text. Words are
 * letters and digits, case-folded: a fixed comma or capital is no change at all.
 *
 * Why 0.8, measured with `npx tsx scripts/same-story.ts` on the 2,092 distinct BBC News articles:
 *   - corrections made from each article replace it: one word changed 100% (lowest 0.988), one
 *     sentence reworded 99.9% (lowest 0.794), a correction note appended 100% (lowest 0.905); in a
 *     one-paragraph brief, one word changed 99.5% (the misses: "briefs" of four words or fewer);
 *   - of the 447,747 pairs of different articles within a topic, 33 reach 0.8, and every one is a
 *     story published twice: 22 copies at 0.96 or more under the same or a reworded headline, 11
 *     the same report updated later ("Mixed reaction to Man Utd offer" -> "Shares rise on new Man
 *     Utd offer", 0.895; "Roddick into San Jose final" -> "Roddick to face Saulnier in final", 0.804);
 *   - under it, 0.73-0.79: three reports extended by a third or more, kept beside the old version;
 *     the closest different stories are at 0.644 ("Beatles suits sell for $110,000" / "Early Elvis
 *     recordings go on sale", which share two paragraphs); random same-topic pairs at most 0.18.
 * Between the two, a story is added beside the old one rather than over it: two versions quoted is a
 * nuisance a moderator can see and fix, a lost story is not. A title match alone is no evidence:
 * "Weekly briefing" is every week's title, and in plain text the title is the first sentence anyway.
 */
export const SAME_STORY_MIN = 0.8;

export function storySimilarity(a: readonly string[], b: readonly string[]): number {
  const [x, y] = tokenIds(a, b);
  const total = x.length + y.length;
  if (total === 0) return 1;
  const edits = editDistance(x, y, total);
  return 1 - edits / total;
}

/** True when `b` is a new version of `a` by the rule above; cheap for different stories. */
export function isSameStory(a: readonly string[], b: readonly string[]): boolean {
  const [x, y] = tokenIds(a, b);
  const total = x.length + y.length;
  if (total === 0) return true;
  // (The epsilon: 1 - 0.8 is 0.19999999999999996 in floating point, and 25 words allow 5 edits.)
  const allowed = Math.floor((1 - SAME_STORY_MIN) * total + 1e-9);
  // Words the texts share, counted with repeats, bound the words a diff can keep: most different
  // stories fail here in linear time, before any diff.
  if (total - 2 * sharedWords(x, y) > allowed) return false;
  return editDistance(x, y, allowed) <= allowed;
}

/** Both texts as word ids over one vocabulary, so the diff compares integers. */
function tokenIds(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const vocabulary = new Map<string, number>();
  const ids = (paragraphs: readonly string[]) => {
    const out: number[] = [];
    for (const p of paragraphs) {
      for (const w of p.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        let id = vocabulary.get(w);
        if (id === undefined) vocabulary.set(w, (id = vocabulary.size));
        out.push(id);
      }
    }
    return Int32Array.from(out);
  };
  return [ids(a), ids(b)];
}

function sharedWords(x: Int32Array, y: Int32Array): number {
  const counts = new Map<number, number>();
  for (const w of x) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of y) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(w, c - 1);
    }
  }
  return shared;
}

/**
 * Insertions + deletions turning `a` into `b` (Myers 1986, O((n + m) * D)), or `max + 1` as soon as
 * it is known to exceed `max`.
 */
function editDistance(a: Int32Array, b: Int32Array, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  const offset = max + 1;
  // furthest[k + offset]: the furthest position in `a` reached on diagonal k (x - y = k).
  const furthest = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!);
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return max + 1;
}
