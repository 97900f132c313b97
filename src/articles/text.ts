/**
 * Plain text and newswire copy -> one article. Paragraph breaks are what matter most here: they are
 * the units citations point at, so they follow what the writer meant, not how the file wraps lines.
 */

import type { ParseResult, ParsedArticle } from "./types.ts";
import { isTrailerLine, parseDateline } from "./newswire.ts";

export interface TextOptions {
  /** "Now" for dates without a year in a dateline; a parameter so results are reproducible. */
  referenceDate?: Date;
}

const TERMINAL = /[.!?…:;"”’)\]]$/;
const TITLE_MAX = 120;

export function parseText(text: string, origin: string, options: TextOptions = {}): ParseResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  dropTrailer(lines);

  const hasBlankLine = lines.some((l) => l.trim() === "");
  const blocks = hasBlankLine ? blocksBetweenBlankLines(lines) : [lines.filter((l) => l.trim() !== "")];

  let title: string | undefined;
  if (hasBlankLine) {
    const first = blocks[0];
    // A short first line on its own, without a final full stop, then a blank line: a headline.
    if (first && first.length === 1 && blocks.length > 1 && looksLikeTitle(first[0]!) && !startsWithDateline(first[0]!, options)) {
      title = first[0]!.trim();
      blocks.shift();
    }
  } else {
    // One paragraph per line (the wire seed's layout); a short unpunctuated first line heads it.
    const only = blocks[0] ?? [];
    if (only.length >= 3 && looksLikeTitle(only[0]!) && !startsWithDateline(only[0]!, options)) {
      title = only.shift()!.trim();
    }
  }

  const paragraphs: string[] = [];
  for (const block of blocks) {
    if (!hasBlankLine || linesAreParagraphs(block)) {
      for (const line of block) paragraphs.push(line.trim());
    } else {
      paragraphs.push(block.map((l) => l.trim()).join(" "));
    }
  }

  const article: ParsedArticle = { format: "text", paragraphs: paragraphs.filter((p) => p !== ""), origin };
  if (title) article.title = title;

  const firstParagraph = article.paragraphs[0];
  const wire = firstParagraph === undefined ? undefined : parseDateline(firstParagraph, options.referenceDate ?? new Date());
  if (wire) {
    article.format = "newswire";
    article.dateline = wire.dateline;
    article.outlet = wire.outlet;
    if (wire.published) article.published = wire.published;
    if (wire.rest === "") article.paragraphs.shift();
    else article.paragraphs[0] = wire.rest;
  }
  return { articles: [article], errors: [] };
}

/** Removes trailer lines (and blank lines among them) from the end of the file, in place. */
function dropTrailer(lines: string[]): void {
  while (lines.length > 0) {
    const last = lines[lines.length - 1]!;
    if (last.trim() === "" || isTrailerLine(last)) lines.pop();
    else break;
  }
}

function blocksBetweenBlankLines(lines: string[]): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function looksLikeTitle(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t.length < TITLE_MAX && !/[.,;:]$/.test(t);
}

function startsWithDateline(line: string, options: TextOptions): boolean {
  return parseDateline(line.trim(), options.referenceDate ?? new Date()) !== undefined;
}

/**
 * A block of several lines is either one hard-wrapped paragraph or several one-line paragraphs
 * (a title block, then body lines). Hard wrapping breaks lines mid-sentence; paragraph-per-line
 * text ends nearly every line with sentence punctuation.
 */
function linesAreParagraphs(block: string[]): boolean {
  if (block.length < 2) return false;
  const inner = block.slice(0, -1);
  const ended = inner.filter((l) => TERMINAL.test(l.trimEnd())).length;
  return ended >= inner.length * 0.8;
}
