import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/articles/parse.ts";
import { parseDateline } from "../../src/articles/newswire.ts";
import { parseText } from "../../src/articles/text.ts";
import { REFERENCE, SEED_PATH, textFile } from "./helpers.ts";

describe("newswire seed", () => {
  const result = parseSource({ name: "000_ff91c482c5c7be67.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: REFERENCE });
  const article = result.articles[0]!;

  it("parses as one newswire article without errors", () => {
    expect(result.errors).toEqual([]);
    expect(result.articles).toHaveLength(1);
    expect(article.format).toBe("newswire");
    expect(article.origin).toBe("000_ff91c482c5c7be67.txt");
  });

  it("turns the dateline into metadata and strips it from the first paragraph", () => {
    expect(article.dateline).toBe("MOSCOW/WASHINGTON, Dec 04");
    expect(article.outlet).toBe("V7N");
    expect(article.published).toBe("2025-12-04");
    expect(article.paragraphs[0]).toMatch(/^The future of negotiations aimed at ending the war in Ukraine/);
    expect(article.paragraphs.join("\n")).not.toContain("(V7N)");
  });

  it("keeps the 11 body paragraphs and drops the END/… trailer and the empty Comment: line", () => {
    expect(article.paragraphs).toHaveLength(11);
    expect(article.paragraphs.at(-1)).toBe(
      "Putin has accused European countries of attempting to derail the talks by advancing terms Moscow views as unacceptable. His foreign policy aide Yuri Ushakov said Moscow had received the U.S. proposals in multiple parts, including four additional documents that were discussed during the Witkoff meeting. The substance of the proposals remains undisclosed.",
    );
    expect(article.paragraphs.some((p) => p.includes("END/WD/AJ/") || p.startsWith("Comment"))).toBe(false);
    // The first line is a long paragraph, not a headline.
    expect(article.title).toBeUndefined();
  });

  it("infers the year from the reference date: the latest Dec 4 not after it", () => {
    const january = parseSource({ name: "s.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: new Date("2026-01-15T00:00:00Z") });
    expect(january.articles[0]!.published).toBe("2025-12-04");
    const november = parseSource({ name: "s.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: new Date("2025-11-30T00:00:00Z") });
    expect(november.articles[0]!.published).toBe("2024-12-04");
    const sameDay = parseSource({ name: "s.txt", bytes: readFileSync(SEED_PATH) }, { referenceDate: new Date("2025-12-04T00:00:00Z") });
    expect(sameDay.articles[0]!.published).toBe("2025-12-04");
  });
});

describe("parseDateline", () => {
  it.each([
    ["KYIV, Dec 4, 2024 (Reuters) - Ukraine said", "KYIV, Dec 4, 2024", "Reuters", "2024-12-04"],
    ["NEW YORK, December 4 (AP) — Stocks rose", "NEW YORK, December 4", "AP", "2025-12-04"],
    ["LONDON, 3 March 2025 (PA) – Rail fares", "LONDON, 3 March 2025", "PA", "2025-03-03"],
    ["SAN FRANCISCO, Nov. 30 (Reuters) -Tech shares", "SAN FRANCISCO, Nov. 30", "Reuters", "2025-11-30"],
    ["KYIV, Ukraine, Dec 4 (V7N) – Talks", "KYIV, Ukraine, Dec 4", "V7N", "2025-12-04"],
  ])("reads %j", (paragraph, dateline, outlet, published) => {
    const d = parseDateline(paragraph, REFERENCE);
    expect(d).toMatchObject({ dateline, outlet, published });
    expect(d!.rest).not.toMatch(/^[-–—\s]/);
  });

  it("reads an undated wire dateline without inventing a date", () => {
    const d = parseDateline("WASHINGTON (AP) — The Senate voted on Tuesday.", REFERENCE);
    expect(d).toEqual({ dateline: "WASHINGTON", outlet: "AP", rest: "The Senate voted on Tuesday." });
  });

  it.each([
    "The Company (ACME) – said it would appeal.",
    "Shares of Acme Corp (ACME) rose 5% on Tuesday.",
    "MOSCOW, Foo 4 (V7N) – Not a month.",
    "In Moscow, officials (speaking privately) - said so.",
  ])("does not mistake prose for a dateline: %j", (paragraph) => {
    expect(parseDateline(paragraph, REFERENCE)).toBeUndefined();
  });

  it("keeps a dateline with an impossible date but gives no published date", () => {
    const d = parseDateline("PARIS, Feb 30 (AFP) – Something happened.", REFERENCE);
    expect(d?.dateline).toBe("PARIS, Feb 30");
    expect(d?.published).toBeUndefined();
  });
});

describe("plain text", () => {
  it("splits paragraphs on blank lines and joins hard-wrapped lines", () => {
    const text = "Headline of the day\n\nFirst paragraph starts here and\nwraps onto a second line.\n\nSecond paragraph.\n";
    const [a] = parseText(text, "t.txt").articles;
    expect(a!.format).toBe("text");
    expect(a!.title).toBe("Headline of the day");
    expect(a!.paragraphs).toEqual(["First paragraph starts here and wraps onto a second line.", "Second paragraph."]);
  });

  it("treats every line as a paragraph when there are no blank lines", () => {
    const [a] = parseText("One sentence here.\nAnother one.\nA third.", "t.txt").articles;
    expect(a!.paragraphs).toEqual(["One sentence here.", "Another one.", "A third."]);
    expect(a!.title).toBeUndefined();
  });

  it("takes a short unpunctuated first line as title in line-per-paragraph text", () => {
    const [a] = parseText("Ad sales boost profit\nProfits jumped 76%.\nSales rose.\n", "t.txt").articles;
    expect(a!.title).toBe("Ad sales boost profit");
    expect(a!.paragraphs).toEqual(["Profits jumped 76%.", "Sales rose."]);
  });

  it("does not take a first line ending in a full stop as the title", () => {
    const [a] = parseText("This is a sentence.\n\nAnd another paragraph.", "t.txt").articles;
    expect(a!.title).toBeUndefined();
    expect(a!.paragraphs).toHaveLength(2);
  });

  it("splits a block whose lines each end a sentence into one paragraph per line", () => {
    const [a] = parseText("Title here\n\nLine one is complete.\nLine two is complete.\nLine three is complete.", "t.txt").articles;
    expect(a!.paragraphs).toEqual(["Line one is complete.", "Line two is complete.", "Line three is complete."]);
  });

  it("finds a dateline after a title and handles CRLF", () => {
    const text = "Talks stall\r\n\r\nGENEVA, Jan 12 2025 (Reuters) – Talks stalled on Sunday.\r\n\r\nMore later.\r\nEND/JS/\r\n";
    const [a] = parseText(text, "t.txt", { referenceDate: REFERENCE }).articles;
    expect(a).toMatchObject({ format: "newswire", title: "Talks stall", dateline: "GENEVA, Jan 12 2025", published: "2025-01-12" });
    expect(a!.paragraphs).toEqual(["Talks stalled on Sunday.", "More later."]);
  });

  it("is reachable through parseSource by .text and by sniffing a name without extension", () => {
    expect(parseSource(textFile("notes.text", "Hello there.")).articles[0]!.paragraphs).toEqual(["Hello there."]);
    const pasted = parseSource(textFile("pasted message", "Hello there.\nSecond line."));
    expect(pasted.errors).toEqual([]);
    expect(pasted.articles[0]!.paragraphs).toEqual(["Hello there.", "Second line."]);
  });
});
