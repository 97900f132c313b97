import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS } from "../../src/articles/limits.ts";
import { extensionOf, parseSource } from "../../src/articles/parse.ts";
import { textFile } from "./helpers.ts";

function only(result: ReturnType<typeof parseSource>) {
  expect(result.articles).toEqual([]);
  expect(result.errors).toHaveLength(1);
  return result.errors[0]!;
}

describe("validation at the edge", () => {
  it("rejects an empty file", () => {
    expect(only(parseSource({ name: "empty.txt", bytes: new Uint8Array() }))).toEqual({
      where: "empty.txt",
      reason: expect.stringMatching(/empty \(0 bytes\).*upload/),
    });
  });

  it("rejects a whitespace-only file", () => {
    expect(only(parseSource(textFile("blank.md", "  \n\n\t\n"))).reason).toMatch(/no text, only whitespace/);
  });

  it("rejects binary files, naming known formats", () => {
    const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj");
    expect(only(parseSource({ name: "report.txt", bytes: pdf })).reason).toMatch(/is a PDF document, not text; export the article as plain text/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(only(parseSource({ name: "photo.png", bytes: png })).reason).toMatch(/PNG image/);
    const blob = new Uint8Array(256).map((_, i) => (i * 37) % 256);
    const err = only(parseSource({ name: "blob.txt", bytes: blob }));
    expect(err.where).toBe("blob.txt");
    expect(err.reason).toMatch(/binary data \(a NUL byte at offset 0\)/);
  });

  it("rejects invalid UTF-8 with the line and column of the first bad byte", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("Good line.\nCaf"), 0xe9, ...new TextEncoder().encode(" au lait.\n")]);
    const err = only(parseSource({ name: "latin1.txt", bytes }));
    expect(err.where).toBe("latin1.txt");
    expect(err.reason).toMatch(/not valid UTF-8 \(first bad byte at line 2, column 4\).*re-save it as UTF-8/);
  });

  it("calls mostly-invalid UTF-8 binary", () => {
    const bytes = new Uint8Array(400).map((_, i) => (i % 2 ? 0xff : 0x41));
    expect(only(parseSource({ name: "x.txt", bytes })).reason).toMatch(/looks binary/);
  });

  it("reads UTF-16 with a byte-order mark, and explains UTF-16 without one", () => {
    const text = "Hello wire.";
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) le[2 + i * 2] = text.charCodeAt(i);
    expect(parseSource({ name: "u16.txt", bytes: le }).articles[0]!.paragraphs).toEqual([text]);
    expect(only(parseSource({ name: "u16.txt", bytes: le.subarray(2) })).reason).toMatch(/UTF-16 text without a byte-order mark/);
  });

  it("strips a UTF-8 byte-order mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("Text.")]);
    expect(parseSource({ name: "bom.txt", bytes }).articles[0]!.paragraphs).toEqual(["Text."]);
  });

  it("rejects an oversized file before reading it", () => {
    const bytes = new Uint8Array(MAX_FILE_BYTES + 1);
    const err = only(parseSource({ name: "huge.jsonl", bytes }));
    expect(err.where).toBe("huge.jsonl");
    expect(err.reason).toMatch(/20\.0 MiB; the limit is 20 MiB.*Split it/);
  });

  it("rejects an unknown extension, saying which types work", () => {
    const err = only(parseSource(textFile("article.rtx", "Some text.")));
    expect(err).toEqual({ where: "article.rtx", reason: expect.stringMatching(/Unknown file type "\.rtx".*\.txt, \.md, \.html, \.json or \.jsonl \(or a \.zip of such files\)/) });
  });

  it("sniffs JSON and HTML behind an unknown extension", () => {
    expect(parseSource(textFile("export.dat", '{"paragraphs": ["From JSON."]}')).articles[0]!.format).toBe("json");
    expect(parseSource(textFile("page.php", "<!doctype html><html><body><p>From HTML.</p></body></html>")).articles[0]!.paragraphs).toEqual(["From HTML."]);
    expect(parseSource(textFile("feed", '{"paragraphs": ["a"]}\n{"paragraphs": ["b"]}')).articles).toHaveLength(2);
  });

  it("rejects a too-long paragraph as an error for that article only", () => {
    const long = "word ".repeat(MAX_PARAGRAPH_CHARS / 4);
    const lines = [JSON.stringify({ id: "fine", paragraphs: ["Short."] }), JSON.stringify({ id: "long", paragraphs: ["Intro.", long] })].join("\n");
    const r = parseSource(textFile("mix.jsonl", lines));
    expect(r.articles.map((a) => a.id)).toEqual(["fine"]);
    expect(r.errors).toEqual([{ where: "mix.jsonl:2", reason: expect.stringMatching(/^Paragraph 2 has 24,999 characters; the limit is 20,000/) }]);
  });

  it("rejects a 10 MB single-line text file quickly", () => {
    const started = performance.now();
    const err = only(parseSource(textFile("one-line.txt", "word ".repeat(2_000_000))));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(err.reason).toMatch(/^Paragraph 1 has 9,999,999 characters.*separate paragraphs with blank lines/);
  });

  it("rejects an article with too many paragraphs", () => {
    const text = Array.from({ length: MAX_PARAGRAPHS + 1 }, (_, i) => `Paragraph ${i}.`).join("\n\n");
    expect(only(parseSource(textFile("many.txt", text))).reason).toMatch(/2,001 paragraphs; the limit is 2,000/);
  });

  it("stores cleaned paragraph text: invisibles removed, whitespace collapsed", () => {
    const r = parseSource(textFile("x.txt", "A\u200Bb  \u202Ec\u00A0d.\n\n\u200B\u200C\n\nNext."));
    expect(r.articles[0]!.paragraphs).toEqual(["Ab c d.", "Next."]);
  });

  it("never throws, even for a name that is empty", () => {
    expect(only(parseSource({ name: "", bytes: new Uint8Array() })).where).toBe("(unnamed file)");
  });
});

describe("extensionOf", () => {
  it.each([
    ["a/b/story.TXT", "txt"],
    ["C:\\news\\page.HTM", "htm"],
    ["report 04.12.2025", ""],
    [".hidden", ""],
    ["noext", ""],
    ["archive.tar.gz", "gz"],
  ])("%s -> %j", (name, ext) => expect(extensionOf(name)).toBe(ext));
});
