import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSameStory, SAME_STORY_MIN, storySimilarity } from "../../src/ingest/same-story.ts";

describe("the same-story rule", () => {
  it("scores a word-level diff: identical text 1, case and punctuation no change, a corrected vote a small one", () => {
    const vote = (v: string) => ["The council approved the harbour budget on Monday.", `The vote was ${v}.`];
    expect(storySimilarity(vote("seven to two"), vote("seven to two"))).toBe(1);
    expect(storySimilarity(vote("seven to two"), ["THE COUNCIL approved the harbour budget, on Monday!", "The vote was: seven to two"])).toBe(1);
    // 14 words each; "seven" -> "six" and "two" -> "three" are 4 insertions and deletions of 28.
    expect(storySimilarity(vote("seven to two"), vote("six to three"))).toBeCloseTo(1 - 4 / 28, 10);
    expect(isSameStory(vote("seven to two"), vote("six to three"))).toBe(true);
    expect(isSameStory(vote("seven to two"), ["The school board elected a new chair on Wednesday.", "She was a teacher."])).toBe(false);
  });

  it("decides exactly as the unbounded score does, however the text was edited", () => {
    const word = fc.constantFrom("the", "council", "vote", "harbour", "budget", "seven", "two", "ferry", "boat", "said", "on", "monday");
    const text = fc.array(fc.array(word, { minLength: 1, maxLength: 12 }).map((w) => w.join(" ")), { minLength: 1, maxLength: 6 });
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: fc.array(word, { maxLength: 4 }) });
    fc.assert(
      fc.property(text, fc.array(edit, { maxLength: 4 }), (before, edits) => {
        let words = before.join(" ").split(" ");
        for (const e of edits) {
          const at = e.at % (words.length + 1);
          words = [...words.slice(0, at), ...e.insert, ...words.slice(at + e.remove)];
        }
        const after = [words.join(" ")];
        expect(isSameStory(before, after)).toBe(storySimilarity(before, after) >= SAME_STORY_MIN);
      }),
      { numRuns: 500 },
    );
  });
});
