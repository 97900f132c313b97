import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadClaims, scoreVerdicts, VERDICTS } from "../../src/eval/claims.ts";
import { DatasetError } from "../../src/eval/datasets.ts";
import { splitOf } from "../../src/eval/split.ts";

describe("the claim set and its scores", () => {
  it("holds at least 200 claims, every verdict in both halves, each about the articles it names", () => {
    const claims = loadClaims("test/fixtures/claims/claims.jsonl");
    expect(claims.length).toBeGreaterThanOrEqual(200);
    for (const half of ["dev", "test"] as const) {
      const verdicts = new Set(claims.filter((c) => splitOf(c.id) === half).map((c) => c.verdict));
      expect([...verdicts].sort()).toEqual([...VERDICTS].sort());
    }
    expect(claims.filter((c) => c.verdict === "not_covered").every((c) => c.articles.length === 0)).toBe(true);
  });

  it("refuses a malformed claim file, naming the line and what is wrong", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nq-claims-"));
    try {
      const file = path.join(dir, "claims.jsonl");
      writeFileSync(file, [JSON.stringify({ id: "a", claim: "x", verdict: "false", articles: [] }), JSON.stringify({ id: "b", claim: "y", verdict: "not_covered", articles: ["bbc-1"] })].join("\n"));
      expect(() => loadClaims(file)).toThrow(DatasetError);
      expect(() => loadClaims(file)).toThrow(/claims\.jsonl:1: verdict .*\n.*claims\.jsonl:2: a not_covered claim names no article/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("scores precision and recall per verdict from the confusion of expected and given", () => {
    const s = scoreVerdicts([
      { expected: "contradicted", got: "contradicted" },
      { expected: "contradicted", got: "partly" },
      { expected: "supported", got: "supported" },
      { expected: "partly", got: "supported" },
    ]);
    expect(s.perVerdict.contradicted).toEqual({ precision: 1, recall: 0.5, expected: 2, got: 1 });
    expect(s.perVerdict.supported).toEqual({ precision: 0.5, recall: 1, expected: 1, got: 2 });
    expect(s.perVerdict.not_covered).toEqual({ precision: null, recall: null, expected: 0, got: 0 });
    expect(s.confusion.contradicted.partly).toBe(1);
    expect(s.accuracy).toBe(0.5);
  });
});
