import { describe, expect, it } from "vitest";
import { checkEvidence, DatasetError, parseArticles, parseQuestions, sample } from "../../src/eval/datasets.ts";
import { answerInText, goldRank, isVerbatim, MethodAccumulator, percentile, reciprocalRank, type Gold, type Outcome } from "../../src/eval/metrics.ts";

const r = (articleId: string, ...paragraphs: number[]) => paragraphs.map((paragraph) => ({ articleId, paragraph }));

/**
 * Six questions with hand-computed figures. Evidence is 0-based (dataset), ranked is 1-based.
 *  q1 answerable, gold a1[0] at rank 1, answered, answer in quote, 2 verbatim quotes
 *  q2 answerable, gold a1[2] at rank 3, answered, answer not in quote, 1 quote not verbatim
 *  q3 answerable, gold a2[0] or a2[1]: a2 p2 at rank 5, not_found (no quotes)
 *  q4 unanswerable, not_found
 *  q5 unanswerable, answered
 *  q6 answerable, gold a3[0] never ranked, answered, answer in quote in another case
 */
const fixture: [Gold, Outcome][] = [
  [
    { answers: ["Denver Broncos"], evidence: [{ articleId: "a1", paragraphIndex: 0 }] },
    { ranked: r("a1", 1, 2), answerText: "The denver broncos won. It rained.", status: "answered", verbatim: { checked: 2, ok: 2 } },
  ],
  [
    { answers: ["1966"], evidence: [{ articleId: "a1", paragraphIndex: 2 }] },
    { ranked: [...r("a2", 1), ...r("a1", 2, 3)], answerText: "Nothing useful here.", status: "answered", verbatim: { checked: 1, ok: 0 } },
  ],
  [
    { answers: ["x"], evidence: [{ articleId: "a2", paragraphIndex: 0 }, { articleId: "a2", paragraphIndex: 1 }] },
    { ranked: [...r("a1", 1, 2, 3, 4), ...r("a2", 2, 1)], answerText: "", status: "not_found", verbatim: { checked: 0, ok: 0 } },
  ],
  [{ answers: [], evidence: [] }, { ranked: r("a1", 1), answerText: "", status: "not_found", verbatim: { checked: 0, ok: 0 } }],
  [{ answers: [], evidence: [] }, { ranked: r("a1", 1), answerText: "Something.", status: "answered", verbatim: { checked: 0, ok: 0 } }],
  [
    { answers: ["Lyon", "Paris"], evidence: [{ articleId: "a3", paragraphIndex: 0 }] },
    { ranked: [], answerText: "the city of PARIS", status: "answered", verbatim: { checked: 0, ok: 0 } },
  ],
];

describe("metric arithmetic", () => {
  it("ranks gold paragraphs 1-based against 0-based evidence", () => {
    expect(goldRank(r("a1", 1), [{ articleId: "a1", paragraphIndex: 0 }])).toBe(1);
    expect(goldRank(r("a1", 1), [{ articleId: "a1", paragraphIndex: 1 }])).toBeNull();
    expect(goldRank(r("a2", 1, 2), [{ articleId: "a1", paragraphIndex: 1 }])).toBeNull();
    expect(goldRank([...r("a2", 2), ...r("a1", 2)], [{ articleId: "a1", paragraphIndex: 1 }])).toBe(2);
    expect(reciprocalRank(4)).toBe(0.25);
    expect(reciprocalRank(11)).toBe(0);
    expect(reciprocalRank(null)).toBe(0);
  });

  it("aggregates Hits@k, MRR@10, answer-in-quote, verbatim and abstention", () => {
    const acc = new MethodAccumulator();
    for (const [gold, outcome] of fixture) acc.add(gold, outcome);
    const m = acc.metrics();
    // q1, q2, q3, q6 have evidence; ranks 1, 3, 5, none.
    expect(m["hits@1"]).toBe(1 / 4);
    expect(m["hits@4"]).toBe(2 / 4);
    expect(m["hits@10"]).toBe(3 / 4);
    expect(m["mrr@10"]).toBeCloseTo((1 + 1 / 3 + 1 / 5 + 0) / 4, 12);
    // Answerable: q1 (hit), q2, q3, q6 (hit, case-insensitive).
    expect(m.answerInQuote).toBe(2 / 4);
    // 3 quotes checked, 2 verbatim.
    expect(m.verbatim).toBe(2 / 3);
    // not_found: q3 (answerable) and q4 (unanswerable). Unanswerable: q4, q5.
    expect(m.abstain.precision).toBe(1 / 2);
    expect(m.abstain.recall).toBe(1 / 2);
    // Answered among answerable: q1, q2, q6.
    expect(m.abstain.answeredRate).toBe(3 / 4);
    expect(m.abstain.balancedAccuracy).toBe((1 / 2 + 3 / 4) / 2);
    expect(acc.counts).toMatchObject({ questions: 6, withEvidence: 4, answerable: 4, unanswerable: 2, notFound: 2 });
  });

  it("reports n/a (null) where a figure is not measurable", () => {
    const acc = new MethodAccumulator();
    // Only answerable questions, a method without quotes or status (the LangChain baseline).
    acc.add(fixture[0]![0], { ranked: r("a1", 2, 1), answerText: "denver BRONCOS", status: null, verbatim: null });
    const m = acc.metrics();
    expect(m["hits@1"]).toBe(0);
    expect(m["mrr@10"]).toBe(0.5);
    expect(m.answerInQuote).toBe(1);
    expect(m.verbatim).toBeNull();
    expect(m.abstain).toEqual({ precision: null, recall: null, answeredRate: null, balancedAccuracy: null });

    // With status but no unanswerable questions: answered-rate only.
    const v1 = new MethodAccumulator();
    v1.add(fixture[0]![0], fixture[0]![1]);
    v1.add(fixture[2]![0], fixture[2]![1]);
    expect(v1.metrics().abstain).toEqual({ precision: null, recall: null, answeredRate: 0.5, balancedAccuracy: null });
  });

  it("checks answers and verbatim quotes exactly", () => {
    expect(answerInText(["Super Bowl"], "the SUPER BOWL 50")).toBe(true);
    expect(answerInText(["Super  Bowl"], "the super bowl")).toBe(false);
    expect(answerInText([], "anything")).toBe(false);
    const text = "Alpha beta. Gamma delta.";
    expect(isVerbatim({ text: "Gamma delta.", start: 12, end: 24 }, text)).toBe(true);
    expect(isVerbatim({ text: "Gamma delta.", start: 11, end: 23 }, text)).toBe(false);
    expect(isVerbatim({ text: "Gamma delta.", start: 12, end: 24 }, null)).toBe(false);
  });

  it("computes nearest-rank percentiles and deterministic samples", () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = sample(items, 10, 1);
    expect(a).toEqual(sample(items, 10, 1));
    expect(a).not.toEqual(sample(items, 10, 2));
    expect(new Set(a).size).toBe(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(sample(items, 80, 1)).toEqual(items);
  });
});

describe("dataset loader", () => {
  const articles = [
    JSON.stringify({ id: "a1", title: "One", paragraphs: ["First.", "Second."] }),
    JSON.stringify({ id: "a2", paragraphs: ["Only."], url: "https://example.org/a2" }),
  ].join("\n");

  it("reads valid files and keeps extra fields", () => {
    const a = parseArticles(`\uFEFF${articles}\n\n`, "art.jsonl");
    expect(a.map((x) => [x.id, x.title, x.paragraphs.length, x.where])).toEqual([
      ["a1", "One", 2, "art.jsonl:1"],
      ["a2", null, 1, "art.jsonl:2"],
    ]);
    expect(a[1]!.record.url).toBe("https://example.org/a2");
    const q = parseQuestions(
      [
        JSON.stringify({ id: "q1", question: "Which?", answers: ["First"], evidence: [{ article_id: "a1", paragraph_index: 0, text: "First" }] }),
        JSON.stringify({ question: "Unanswerable?", answers: [], evidence: [] }),
      ].join("\n"),
      "q.jsonl",
    );
    expect(q[0]).toMatchObject({ id: "q1", answers: ["First"], evidence: [{ articleId: "a1", paragraphIndex: 0 }] });
    expect(q[1]!.id).toBe("q.jsonl:2");
    expect(() => checkEvidence(q, a)).not.toThrow();
  });

  it("names the file, line and field of each problem", () => {
    const bad = [
      JSON.stringify({ id: "a1", paragraphs: ["ok"] }),
      "{not json",
      JSON.stringify({ id: "", paragraphs: ["x"] }),
      JSON.stringify({ id: "a3", paragraphs: ["x", "   "] }),
      JSON.stringify({ id: "a1", paragraphs: ["again"] }),
      "[1, 2]",
    ].join("\n");
    let error: unknown;
    try {
      parseArticles(bad, "art.jsonl");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatasetError);
    const msg = (error as Error).message;
    expect(msg).toContain("5 problems");
    expect(msg).toMatch(/art\.jsonl:2: not valid JSON/);
    expect(msg).toContain("art.jsonl:3: id: must be a non-empty string");
    expect(msg).toContain("art.jsonl:4: paragraphs[1]: must not be empty");
    expect(msg).toContain('art.jsonl:5: repeats article id "a1" from art.jsonl:1');
    expect(msg).toContain("art.jsonl:6: must be a JSON object");

    const badQ = [
      JSON.stringify({ question: "", answers: [], evidence: [] }),
      JSON.stringify({ question: "Q?", answers: "yes", evidence: [] }),
      JSON.stringify({ question: "Q?", answers: ["a"], evidence: [{ article_id: "a1", paragraph_index: -1 }] }),
      JSON.stringify({ question: "Q?", answers: ["a"], evidence: [{ article_id: "a1", paragraph_index: 1.5 }] }),
      JSON.stringify({ question: "Q?", answers: ["a"] }),
    ].join("\n");
    expect(() => parseQuestions(badQ, "q.jsonl")).toThrow(/q\.jsonl:1: question: must not be empty/);
    const qMsg = (() => {
      try {
        parseQuestions(badQ, "q.jsonl");
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(qMsg).toMatch(/q\.jsonl:2: answers: /);
    expect(qMsg).toContain("q.jsonl:3: evidence[0].paragraph_index: must be 0 or more (it is 0-based)");
    expect(qMsg).toContain("q.jsonl:4: evidence[0].paragraph_index: must be a whole number");
    expect(qMsg).toMatch(/q\.jsonl:5: evidence: /);
    expect(() => parseQuestions("\n\n", "empty.jsonl")).toThrow(/empty\.jsonl: holds no questions/);
  });

  it("checks that evidence names loaded articles and paragraphs", () => {
    const a = parseArticles(articles, "art.jsonl");
    const q = parseQuestions(
      [
        JSON.stringify({ question: "Q?", answers: ["a"], evidence: [{ article_id: "zz", paragraph_index: 0 }] }),
        JSON.stringify({ question: "Q?", answers: ["a"], evidence: [{ article_id: "a1", paragraph_index: 2 }] }),
      ].join("\n"),
      "q.jsonl",
    );
    expect(() => checkEvidence(q, a)).toThrow(/q\.jsonl:1: evidence\[0\]\.article_id "zz" is not in the articles files/);
    expect(() => checkEvidence(q, a)).toThrow(/q\.jsonl:2: evidence\[0\]\.paragraph_index 2 is out of range: article "a1" has 2 paragraphs/);
  });
});
