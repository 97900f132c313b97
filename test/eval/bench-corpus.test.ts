import { describe, expect, it } from "vitest";
import { contentWords, dedupe, generateQuestions, replicate, spreadSample } from "../../src/eval/bench-corpus.ts";
import { benchChart, evalChart } from "../../src/eval/chart.ts";
import type { DatasetArticle } from "../../src/eval/datasets.ts";

const art = (id: string, ...paragraphs: string[]): DatasetArticle => ({ id, title: `T ${id}`, paragraphs, record: { id, title: `T ${id}`, paragraphs, source: "S" }, where: `f:${id}` });
const corpus = [
  art("a", "The chancellor announced new spending plans for schools and hospitals. Critics said it was too little."),
  art("b", "Shares in the carmaker fell sharply after profits warning yesterday morning in London."),
  art("a2", "The chancellor announced new spending plans for schools and hospitals. Critics said it was too little."),
];

describe("benchmark corpus helpers", () => {
  it("generates the same keyword questions for the same seed", () => {
    const q = generateQuestions(corpus, 20, 7);
    expect(q).toHaveLength(20);
    expect(generateQuestions(corpus, 20, 7)).toEqual(q);
    for (const question of q) {
      const words = question.split(" ");
      expect(words.length).toBeGreaterThanOrEqual(4);
      expect(words.length).toBeLessThanOrEqual(6);
    }
    expect(contentWords("The chancellor said that the plans were costly.")).toEqual(["chancellor", "plans", "costly"]);
  });

  it("drops duplicates, samples evenly and replicates with new ids", () => {
    expect(dedupe(corpus).map((a) => a.id)).toEqual(["a", "b"]);
    expect(spreadSample(corpus, 1_000_000)).toHaveLength(3);
    expect(spreadSample(corpus, 15).length).toBeLessThan(3);
    const copy = replicate(corpus.slice(0, 1), 2)[0]!;
    expect(copy).toMatchObject({ id: "a~copy2", title: "T a (copy 2)", source: "S", paragraphs: corpus[0]!.paragraphs });
  });

  it("draws charts as standalone SVG with the values", () => {
    const m = { "hits@1": 0.5, "hits@4": 0.7, "hits@10": 0.9, "mrr@10": 0.6, answerInQuote: 0.4, verbatim: 1, abstain: { precision: null, recall: null, answeredRate: 0.8, balancedAccuracy: null } };
    const svg = evalChart([{ label: "set <1>", result: { methods: { bm25: m, project: { ...m, "hits@1": 0.75 } }, project: "project", questions: 10, articles: 2, seconds: 1 } }]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("75.0%");
    expect(svg).toContain("set &lt;1&gt;");
    expect(svg).not.toContain("balanced accuracy");
    const b = benchChart({ ingest: { wordsPerSec: 900, floorWordsPerSec: 1000, langchainWordsPerSec: 950, reingestSpeedup: 800 }, ask: { p50Ms: 40, p95Ms: 80, p99Ms: 120, embedP50Ms: 20, embedP95Ms: 36 }, scale: { p95At1x: 80, p95At4x: 100 }, coldStartMs: 3500, rssMB: 300, floorMB: 200 });
    expect(b).toContain("900 words/s");
    expect(b.trim().endsWith("</svg>")).toBe(true);
  });
});
