import { describe, expect, it } from "vitest";
import { finalizeArticle } from "../../src/articles/identity.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { fixture, textFile } from "./helpers.ts";

describe("JSONL in the shared dataset format", () => {
  const result = parseSource(fixture("articles.jsonl"));

  it("parses the good lines and keeps their ids exactly", () => {
    expect(result.articles.map((a) => a.id)).toEqual(["bbc-business-001", "squad11dev-000", "ok-006"]);
    expect(result.articles.map((a) => a.origin)).toEqual(["articles.jsonl:1", "articles.jsonl:2", "articles.jsonl:6"]);
    expect(result.articles.map((a) => finalizeArticle(a).id)).toEqual(["bbc-business-001", "squad11dev-000", "ok-006"]);
  });

  it("maps source to outlet, accepts nulls, and reads url, author lists and dates", () => {
    const [bbc, squad, ok] = result.articles;
    expect(bbc).toMatchObject({ format: "json", title: "Ad sales boost Time Warner profit", outlet: "BBC News" });
    expect(bbc!.url).toBeUndefined();
    expect(bbc!.published).toBeUndefined();
    expect(bbc!.paragraphs).toHaveLength(2);
    expect(squad!.url).toBe("https://en.wikipedia.org/wiki/Super_Bowl_50");
    expect(ok).toMatchObject({ outlet: "Wire", author: "A. Writer, B. Editor", published: "2025-12-04", paragraphs: ["One.", "Two."] });
  });

  it("reports each bad line by number with what is wrong, skipping blank lines", () => {
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]!.where).toBe("articles.jsonl:3");
    expect(result.errors[0]!.reason).toMatch(/not valid JSON.*line 1, column \d+.*fix or remove it/);
    expect(result.errors[1]!.where).toBe("articles.jsonl:5");
    expect(result.errors[1]!.reason).toMatch(/Field "paragraphs" should be a list of strings, not a string/);
  });
});

describe("JSON documents", () => {
  it("reads an array, naming records as file#N (1-based)", () => {
    const r = parseSource(fixture("articles.json"));
    expect(r.articles.map((a) => [a.origin, a.id, a.title])).toEqual([
      ["articles.json#1", "a-1", "First"],
      ["articles.json#2", undefined, "No id here"],
    ]);
    expect(r.articles[0]).toMatchObject({ url: "https://desk.example/1", published: "2025-01-02T10:00:00Z", outlet: "Desk" });
    expect(r.errors).toEqual([{ where: "articles.json#3", reason: expect.stringMatching(/Field "published" \("sometime last week"\) is not a date/) }]);
  });

  it("reads a single object and an {articles: [...]} wrapper", () => {
    const one = parseSource(textFile("one.json", JSON.stringify({ id: 7, title: "T", paragraphs: ["P."] })));
    expect(one.articles[0]).toMatchObject({ id: "7", origin: "one.json" });
    const wrapped = parseSource(textFile("w.json", JSON.stringify({ articles: [{ paragraphs: ["A."] }, { paragraphs: ["B."] }] })));
    expect(wrapped.articles.map((a) => a.origin)).toEqual(["w.json#1", "w.json#2"]);
  });

  it("accepts text in a single 'text' field split on blank lines", () => {
    const r = parseSource(textFile("t.json", JSON.stringify({ title: "T", text: "First para\nstill first.\n\nSecond para." })));
    expect(r.articles[0]!.paragraphs).toEqual(["First para still first.", "Second para."]);
  });

  it("names the wrong field in each kind of bad record", () => {
    const records = [
      { title: "no text" },
      { paragraphs: ["ok", 5] },
      { paragraphs: [], title: "empty" },
      { paragraphs: ["x"], url: "not a url" },
      { paragraphs: ["x"], title: 12 },
      { paragraphs: ["x"], id: -3 },
      "just a string",
    ];
    const r = parseSource(textFile("bad.json", JSON.stringify(records)));
    expect(r.articles).toEqual([]);
    const reasons = r.errors.map((e) => `${e.where} ${e.reason}`);
    expect(reasons[0]).toMatch(/^bad\.json#1 Field "paragraphs" is missing/);
    expect(reasons[1]).toMatch(/^bad\.json#2 Field "paragraphs\[1\]" should be text \(a string\), not a whole number/);
    expect(reasons[2]).toMatch(/^bad\.json#3 Field "paragraphs" has no text/);
    expect(reasons[3]).toMatch(/^bad\.json#4 Field "url" \("not a url"\) is not an absolute http\(s\) URL/);
    expect(reasons[4]).toMatch(/^bad\.json#5 Field "title" should be a string or null, not a whole number/);
    expect(reasons[5]).toMatch(/^bad\.json#6 Field "id" \(-3\)/);
    expect(reasons[6]).toMatch(/^bad\.json#7 The record is a string, not an article object/);
  });

  it("gives line and column for a syntax error in a whole JSON file", () => {
    const r = parseSource(textFile("broken.json", '[\n  {"paragraphs": ["a"]},\n  {"paragraphs": ["b"] oops}\n]'));
    expect(r.errors).toEqual([{ where: "broken.json", reason: expect.stringMatching(/not valid JSON \(.*line 3, column \d+\)/) }]);
  });

  it("reads JSON Lines saved under .json, and a JSON array saved under .jsonl", () => {
    const lines = parseSource(textFile("mixed.json", '{"paragraphs": ["a"]}\n{"paragraphs": ["b"]}\n'));
    expect(lines.articles.map((a) => a.origin)).toEqual(["mixed.json:1", "mixed.json:2"]);
    const array = parseSource(textFile("arr.jsonl", '[{"paragraphs": ["a"]}]'));
    expect(array.articles.map((a) => a.origin)).toEqual(["arr.jsonl#1"]);
  });

  it("rejects hostile nesting without parsing it", () => {
    const r = parseSource(textFile("deep.json", "[".repeat(1_000_000)));
    expect(r.errors[0]).toMatchObject({ where: "deep.json", reason: expect.stringMatching(/nested over 10,000 levels deep/) });
    const l = parseSource(textFile("deep.jsonl", '{"paragraphs": ["ok"]}\n' + "[".repeat(100) + "\n"));
    expect(l.articles).toHaveLength(1);
    expect(l.errors[0]).toMatchObject({ where: "deep.jsonl:2", reason: expect.stringMatching(/nested 100 levels deep/) });
  });
});
