import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { ask, tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

describe("answering from the seed story", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    const summary = await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    expect(summary.added).toHaveLength(1);
    expect(summary.failed).toEqual([]);
  });
  afterAll(() => cleanup());

  it("quotes Peskov on publicity from the paragraph about public updates, and cites it", async () => {
    const a = await ask(lib, "What did Peskov say about publicity?");
    expect(a.status).toBe("answered");
    expect(a.quotes[0]!.text).toContain("excessive publicity could hinder progress");
    const [stored] = lib.paragraph(a.quotes[0]!.articleId, a.quotes[0]!.paragraph)!;
    expect(stored!.text).toContain("would not provide continuous public updates");
    const c = a.citations[0]!;
    expect(c.n).toBe(1);
    expect(c.outlet).toBe("V7N");
    expect(c.title.length).toBeGreaterThan(10);
  });

  it("quotes the sentence that answers, not the whole paragraph", async () => {
    const a = await ask(lib, "Where will Witkoff and Kushner meet Ukrainian officials?");
    expect(a.status).toBe("answered");
    expect(a.quotes[0]!.text).toContain("Miami");
    const a2 = await ask(lib, "Who resigned after investigators searched his home?");
    expect(a2.quotes[0]!.text).toContain("chief of staff resigned");
    const [stored] = lib.paragraph(a2.quotes[0]!.articleId, a2.quotes[0]!.paragraph)!;
    expect(a2.quotes[0]!.text.length).toBeLessThan(stored!.text.length);
  });

  it("declines what the coverage does not hold, and says what it searched", async () => {
    const a = await ask(lib, "What is the weather like in Lisbon this weekend?");
    expect(a.status).toBe("not_found");
    expect(a.quotes).toEqual([]);
    expect(a.searched.articles).toBe(1);
    expect(a.searched.terms).toEqual(expect.arrayContaining(["weather", "lisbon"]));
    expect(a.confidence).toBeLessThan(0.5);
  });

  it("rejects empty and overlong questions with a clear message", async () => {
    await expect(lib.answer("   ")).rejects.toThrow(/empty/);
    await expect(lib.answer("why ".repeat(400))).rejects.toThrow(/limit is 1000/);
  });

  it("can be restricted to one article", async () => {
    const [article] = lib.articles();
    const a = await ask(lib, "What did Zelenskiy say about peace?", { articleId: article!.id });
    expect(a.searched.articleFilter).toBe(article!.id);
    expect(a.quotes.every((q) => q.articleId === article!.id)).toBe(true);
    const none = await lib.answer("What did Zelenskiy say about peace?", { articleId: "no-such-article" });
    expect(none.status).toBe("not_found");
  });

  it("returns the JSON contract other tools read", async () => {
    const a = JSON.parse(JSON.stringify(await ask(lib, "How many points were in the leaked U.S. draft proposals?")));
    expect(a).toMatchObject({ status: "answered", confidence: expect.any(Number) });
    expect(a.quotes[0]).toEqual({
      text: expect.stringContaining("28 points"),
      articleId: expect.any(String),
      paragraph: expect.any(Number),
      start: expect.any(Number),
      end: expect.any(Number),
      citation: 1,
      // The leaked proposals "caused alarm": the outlet's own reporting (the officials speak only in a relative clause).
      attribution: { kind: "reporting" },
    });
    expect(Object.keys(a.citations[0]).sort()).toEqual(["articleId", "link", "n", "outlet", "paragraph", "published", "title", "url"]);
    expect(a.ranked[0]).toMatchObject({ articleId: a.quotes[0].articleId, paragraph: a.quotes[0].paragraph });
  });
});
