import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

// One story told on three days, and an undated brief: what "as of", "yet" and since/until do.
const story = (id: string, published: string | null, paragraphs: string[]) => ({ id, title: `Harbour strike (${published ?? "undated"})`, source: "Test Wire", url: null, published, paragraphs });
const RECORDS = [
  story("strike-mon", "2025-03-03", ["Dock workers at Port Kestrel began a strike on Monday over pay.", "Talks between the union and the harbour board have not produced a deal."]),
  story("strike-wed", "2025-03-05", ["Dock workers at Port Kestrel stayed on strike on Wednesday.", "The union said talks with the harbour board had not yet produced a deal on pay."]),
  story("strike-fri", "2025-03-07", ["Dock workers at Port Kestrel ended their strike on Friday.", "The union and the harbour board reached a deal on pay, the union said."]),
  story("strike-brief", null, ["A strike by dock workers at Port Kestrel has closed the harbour to freight."]),
];

describe("dates in answers", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([textFile("strike.jsonl", RECORDS.map((r) => JSON.stringify(r)).join("\n"))]);
  });
  afterAll(async () => cleanup?.());

  it("prefers the newest coverage when the question asks where things stand now", async () => {
    // Without the preference both quote Wednesday's "stayed on strike" first.
    for (const q of ["whats the latest on the port kestrel strike", "are the dock workers at port kestrel still on strike"]) {
      const a = await ask(lib, q);
      expect(a.quotes[0]!.articleId, q).toBe("strike-fri");
      expect(a.asOf).toBe("2025-03-07");
    }
  });

  it("searches only the days asked for, and says so", async () => {
    const a = await ask(lib, "is there a deal on pay at port kestrel yet?", { until: "2025-03-05" });
    expect(a.quotes.length).toBeGreaterThan(0);
    expect(a.quotes.every((q) => q.articleId === "strike-mon" || q.articleId === "strike-wed")).toBe(true);
    expect(a.asOf! <= "2025-03-05").toBe(true);
    expect(a.searched.published).toEqual({ since: null, until: "2025-03-05" });
    expect(a.searched.articles).toBe(2);
    const later = await ask(lib, "when did the dock strike end", { since: "2025-03-06", until: "2025-03-31" });
    expect(later.citations.every((c) => c.articleId === "strike-fri")).toBe(true);
  });

  it("leaves undated articles out of a date range, and names no day for them", async () => {
    const all = await ask(lib, "has the strike closed the harbour to freight");
    const brief = all.citations.find((c) => c.articleId === "strike-brief");
    expect(brief?.published).toBeNull();
    const ranged = await ask(lib, "has the strike closed the harbour to freight", { since: "2025-01-01" });
    expect(ranged.citations.some((c) => c.articleId === "strike-brief")).toBe(false);
  });

  it("refuses a day it cannot read, or a range that holds no day, with what to write instead", async () => {
    await expect(lib.answer("is there a deal", { since: "March 5" })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(lib.answer("is there a deal", { since: "2025-02-30" })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(lib.answer("is there a deal", { since: "2025-03-07", until: "2025-03-01" })).rejects.toThrow(/after until/);
  });
});
