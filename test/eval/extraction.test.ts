import { describe, expect, it } from "vitest";
import { scorePage, shingles, summarise, tokens } from "../../src/eval/extraction.ts";

const BODY = "The island ferry will run every two hours from May. Evening crossings end at nine.";

describe("extraction scoring (the benchmark's 4-token shingles)", () => {
  it("counts word runs, Unicode included, and makes one shingle of a short text", () => {
    expect(tokens("Zelenskiy’s aide — 28 points, café")).toEqual(["Zelenskiy", "s", "aide", "28", "points", "café"]);
    expect([...shingles("only three words").keys()]).toEqual(["only three words"]);
    expect(shingles(BODY).size).toBe(tokens(BODY).length - 3);
  });

  it("scores the exact text 1, boilerplate as lost precision and a missing paragraph as lost recall", () => {
    expect(scorePage(BODY, BODY)).toEqual({ precision: 1, recall: 1, exact: true });
    const withMenu = scorePage(`Home News Sport Weather Subscribe now. ${BODY}`, BODY);
    expect(withMenu.recall).toBe(1);
    expect(withMenu.precision).toBeLessThan(1);
    const cut = scorePage("The island ferry will run every two hours from May.", BODY);
    expect(cut.precision).toBe(1);
    expect(cut.recall).toBeLessThan(1);
    expect(scorePage("", BODY)).toMatchObject({ precision: 0, recall: 0 });
  });

  it("averages pages equally and takes F1 of the mean precision and recall", () => {
    const s = summarise([{ precision: 1, recall: 0.5, exact: false }, { precision: 0.5, recall: 1, exact: true }]);
    expect(s).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, accuracy: 0.5 });
  });
});
