import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { articleId, deriveTitle, finalizeArticle } from "../../src/articles/identity.ts";
import { parseSource } from "../../src/articles/parse.ts";
import type { ParsedArticle } from "../../src/articles/types.ts";
import { identityUrl } from "../../src/articles/url.ts";
import { REFERENCE, SEED_PATH, textFile } from "./helpers.ts";

function parsed(extra: Partial<ParsedArticle> = {}): ParsedArticle {
  return { format: "text", paragraphs: ["First paragraph here.", "Second one."], origin: "x.txt", ...extra };
}

describe("article ids", () => {
  it("keeps a source id exactly", () => {
    expect(finalizeArticle(parsed({ id: "bbc-business-001", url: "https://x.example/a" })).id).toBe("bbc-business-001");
  });

  it("derives the same id from the same content, however it is spaced or cased", () => {
    const a = finalizeArticle(parsed());
    const b = finalizeArticle(parsed({ paragraphs: ["  first   PARAGRAPH\nhere. ", "Second\u200B one."], origin: "other.md", format: "markdown" }));
    expect(a.id).toMatch(/^c-[0-9a-f]{16}$/);
    expect(b.id).toBe(a.id);
    expect(finalizeArticle(parsed({ paragraphs: ["Different text."] })).id).not.toBe(a.id);
  });

  it("derives the id from the URL, ignoring utm_* parameters, the fragment, host case and a trailing slash", () => {
    const base = finalizeArticle(parsed({ url: "https://news.example/world/story-1" })).id;
    expect(base).toMatch(/^u-[0-9a-f]{16}$/);
    for (const url of [
      "https://NEWS.example/world/story-1/",
      "https://news.example/world/story-1?utm_source=twitter&utm_medium=social",
      "https://news.example/world/story-1#comments",
      "HTTPS://news.example/world/story-1/?utm_campaign=x#top",
    ]) {
      expect(finalizeArticle(parsed({ url, paragraphs: ["Other text entirely."] })).id).toBe(base);
    }
    expect(finalizeArticle(parsed({ url: "https://news.example/world/story-1?page=2" })).id).not.toBe(base);
  });

  it("gives the seed a stable content id", () => {
    const read = () => finalizeArticle(parseSource({ name: "seed.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: REFERENCE }).articles[0]!);
    const a = read();
    const b = read();
    expect(a.id).toBe(b.id);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.id).toMatch(/^c-/);
  });

  it("articleId prefers id, then url, then content", () => {
    expect(articleId("x", "https://a.example", ["p"])).toBe("x");
    expect(articleId(undefined, "https://a.example", ["p"])).toMatch(/^u-/);
    expect(articleId(undefined, undefined, ["p"])).toMatch(/^c-/);
  });

  it("identityUrl normalises only what does not change the page", () => {
    expect(identityUrl("https://Example.COM/a/b/?utm_source=x&id=3#frag")).toBe("https://example.com/a/b?id=3");
    expect(identityUrl("https://example.com/")).toBe("https://example.com");
    expect(identityUrl("ftp://example.com/x")).toBeUndefined();
  });
});

describe("finalizeArticle", () => {
  it("fills every field, with nulls for what the source lacks", () => {
    const a = finalizeArticle(parsed({ title: "  A   title ", outlet: "Desk", url: "https://x.example/s?utm_medium=m#f" }));
    expect(a).toEqual({
      id: a.id,
      title: "A title",
      url: "https://x.example/s",
      outlet: "Desk",
      author: null,
      published: null,
      dateline: null,
      format: "text",
      paragraphs: ["First paragraph here.", "Second one."],
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      origin: "x.txt",
    });
  });

  it("normalises text: NFC, CRLF, whitespace, zero-width and bidi controls", () => {
    const a = finalizeArticle(parsed({ paragraphs: ["Cafe\u0301\r\n au\u00a0lait\u200D \u2066quote\u2069 \u202Eevil\u202C", "\u200B"] }));
    expect(a.paragraphs).toEqual(["Café au lait quote evil"]);
    expect(a.paragraphs[0]!.normalize("NFC")).toBe(a.paragraphs[0]);
  });

  it("changes the content hash when any stored field changes, and only then", () => {
    const base = finalizeArticle(parsed({ title: "T" }));
    expect(finalizeArticle(parsed({ title: "T", origin: "elsewhere.txt" })).contentHash).toBe(base.contentHash);
    expect(finalizeArticle(parsed({ title: "T2" })).contentHash).not.toBe(base.contentHash);
    expect(finalizeArticle(parsed({ title: "T", author: "A" })).contentHash).not.toBe(base.contentHash);
    expect(finalizeArticle(parsed({ title: "T", paragraphs: ["First paragraph here.", "Second one!"] })).contentHash).not.toBe(base.contentHash);
  });
});

describe("derived titles", () => {
  it("uses the first sentence when it is short", () => {
    expect(deriveTitle(["Dr. Smith wins the vote. Then more happened."])).toBe("Dr. Smith wins the vote");
  });

  it("cuts a long first sentence at its first clause break, like a headline", () => {
    const seed = finalizeArticle(parseSource({ name: "seed.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: REFERENCE }).articles[0]!);
    expect(seed.title).toBe("The future of negotiations aimed at ending the war in Ukraine remains uncertain");
    expect(seed.paragraphs[0]!.startsWith(seed.title)).toBe(true);
  });

  it("cuts a long first sentence without clause breaks at a word, at most 90 characters with an ellipsis", () => {
    const lead = "Officials from eleven regional water boards met in the capital on Tuesday to agree new rules for the drought season.";
    const title = finalizeArticle(parseSource(textFile("w.txt", lead)).articles[0]!).title;
    expect(title.length).toBeLessThanOrEqual(90);
    expect(title.endsWith("…")).toBe(true);
    expect(lead.startsWith(title.slice(0, -1))).toBe(true);
  });

  it("is used when a file has no title", () => {
    const r = parseSource(textFile("n.txt", "Short news. Second sentence."));
    expect(finalizeArticle(r.articles[0]!).title).toBe("Short news");
  });
});

describe("ids a source gives", () => {
  const PARAGRAPHS = ["The ferry will run every hour from May.", "The operator said a new boat had arrived."];
  const parseIds = (ids: unknown[]) => {
    const text = ids.map((id) => JSON.stringify({ id, paragraphs: PARAGRAPHS })).join("\n");
    return parseSource(textFile("ids.jsonl", text));
  };

  it("are kept exactly when they are letters, digits and the punctuation of web addresses", () => {
    const ok = ["bbc-business-001", "squad11dev-000", "a~copy2", "7", "https://news.example/2025/story?id=3#top", "Ωmega_1.2", "Super_Bowl_(1967)"];
    const { articles, errors } = parseIds(ok);
    expect(errors).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual(ok);
  });

  it("are refused, each with its reason, when they could be mistaken for another article's id or reference", () => {
    const derived = articleId(undefined, undefined, ["Some other article's text."]);
    const { articles, errors } = parseIds(["#Jq3kV1c2bY0aZ9xW", derived, "story 12", "a\u202Eb", "e\u0301te", "", "x".repeat(201), "\u200Bhidden"]);
    expect(articles).toEqual([]);
    expect(errors.map((e) => e.where)).toEqual(["ids.jsonl:1", "ids.jsonl:2", "ids.jsonl:3", "ids.jsonl:4", "ids.jsonl:5", "ids.jsonl:6", "ids.jsonl:7", "ids.jsonl:8"]);
    const [hash, impostor, space, bidi, decomposed, empty, long, invisible] = errors.map((e) => e.reason);
    expect(hash).toMatch(/starts with "#", which is reserved for the references on the bot's buttons/);
    expect(impostor).toMatch(/form of the ids this program derives .* would take another article's place/);
    for (const r of [space, bidi, decomposed, invisible]) expect(r).toMatch(/only letters, digits and the punctuation of web addresses.*no spaces, quotes or invisible characters/);
    expect(empty).toMatch(/is empty/);
    expect(long).toMatch(/201 characters; the limit is 200/);
  });

  it("of the derived form are kept when they are the record's own derived id (a re-imported export)", () => {
    const own = articleId(undefined, undefined, PARAGRAPHS);
    const byUrl = articleId(undefined, "https://news.example/ferry", PARAGRAPHS);
    const text = [JSON.stringify({ id: own, paragraphs: PARAGRAPHS }), JSON.stringify({ id: byUrl, url: "https://news.example/ferry", paragraphs: PARAGRAPHS })].join("\n");
    const { articles, errors } = parseSource(textFile("export.jsonl", text));
    expect(errors).toEqual([]);
    expect(articles.map((a) => finalizeArticle(a).id)).toEqual([own, byUrl]);
  });
});
