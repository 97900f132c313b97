import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

// Wire copy: one agency story republished by two outlets under their own ids and headlines.
const WIRE = [
  "The Kestrel Bridge will close for six weeks from 3 March while its cables are replaced, the county council said.",
  "Ferries will run every 20 minutes during the closure, and buses will take a diversion through Marrow.",
];
const record = (id: string, title: string, outlet: string, published: string, paragraphs: string[]) => ({ id, title, source: outlet, url: null, published, paragraphs });

describe("the same story twice (republished wire copy)", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    const records = [
      record("gazette-bridge", "Bridge to close for repairs", "Harbour Gazette", "2025-02-20", WIRE),
      record("herald-bridge", "Kestrel Bridge shut for six weeks", "Marrow Herald", "2025-02-21", WIRE),
      record("ferry-fares", "Ferry fares rise", "Harbour Gazette", "2025-02-22", ["Ferry fares will rise by 5% in April, the operator said."]),
    ];
    await lib.ingest([textFile("wire.jsonl", records.map((r) => JSON.stringify(r)).join("\n"))]);
  });
  afterAll(async () => cleanup?.());

  it("quotes the words once and names the other article that ran them", async () => {
    const a = await ask(lib, "how long will the kestrel bridge close for?");
    expect(a.quotes[0]!.text).toContain("close for six weeks");
    const texts = a.quotes.map((q) => q.text);
    expect(new Set(texts).size).toBe(texts.length);
    const cited = a.citations.find((c) => c.n === a.quotes[0]!.citation)!;
    const other = cited.articleId === "gazette-bridge" ? "herald-bridge" : "gazette-bridge";
    expect(a.citations.some((c) => c.articleId === other && c.paragraph === cited.paragraph)).toBe(false);
    expect(cited.alsoIn?.map((x) => x.articleId)).toEqual([other]);
  });

  it("names no copies for words only one article ran", async () => {
    const a = await ask(lib, "how much will ferry fares rise in april?");
    expect(a.citations[0]!.articleId).toBe("ferry-fares");
    expect(a.citations[0]!.alsoIn).toBeUndefined();
  });
});
