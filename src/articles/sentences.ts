/**
 * Paragraph -> sentence ranges. Quotes are cut from stored paragraphs by these ranges, so a range
 * must point at exactly the characters of the stored text: sbd decides where sentences end (it knows
 * "U.S." and "Dr." do not end one), and every sentence it returns is located in the original string.
 * When that location fails, a plain punctuation splitter is used instead, so this never throws.
 */

import sbd from "sbd";
import type { SentenceSpan } from "./types.ts";
import { MAX_SENTENCE_CHARS, SBD_WINDOW_CHARS, SENTENCE_TARGET_CHARS } from "./limits.ts";

const SBD_OPTIONS = { preserve_whitespace: true, newline_boundaries: false, sanitize: false } as const;

/**
 * A likely sentence end: punctuation, optional closing quotes/brackets, space, then a capital or
 * digit; not the dot of a title ("Dr."), a common abbreviation, or an initial ("John F. Kennedy").
 */
const BOUNDARY =
  /(?<!\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Adm|St|Jr|Sr|Rev|Inc|Corp|Co|Ltd|No|vs|etc|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|\p{Lu}))[.!?…]["'”’)\]]*\s+(?=[\p{Lu}\p{Lt}“"‘'(\[0-9])/gu;

/**
 * Sentences of `paragraph` as [start, end) ranges: in order, not overlapping, each starting and ending
 * on a non-space character, together covering all non-space text. None is longer than
 * MAX_SENTENCE_CHARS.
 */
export function splitSentences(paragraph: string): SentenceSpan[] {
  if (!/\S/.test(paragraph)) return [];
  const spans: SentenceSpan[] = [];
  for (const [from, to] of windows(paragraph)) {
    let found: SentenceSpan[] | null = null;
    try {
      found = sbdSpans(paragraph, from, to);
    } catch {
      found = null; // sbd is third-party code; any failure means "use the plain splitter"
    }
    spans.push(...(found ?? regexSpans(paragraph, from, to)));
  }
  return attachClosers(paragraph, mergeAfterInitialisms(paragraph, spans)).flatMap((s) => splitLong(paragraph, s));
}

/**
 * sbd slows down with the square of the sentences it is given at once, so long text is cut into
 * windows of about SBD_WINDOW_CHARS at likely sentence ends (or spaces) first.
 */
function windows(text: string): [number, number][] {
  if (text.length <= SBD_WINDOW_CHARS * 1.5) return [[0, text.length]];
  const out: [number, number][] = [];
  let from = 0;
  while (from < text.length) {
    const target = from + SBD_WINDOW_CHARS;
    if (target >= text.length - SBD_WINDOW_CHARS / 2) {
      out.push([from, text.length]);
      break;
    }
    const limit = target + SBD_WINDOW_CHARS / 2;
    let cut = findAfter(BOUNDARY, text, target, limit) ?? findAfter(/\s+/g, text, target, limit) ?? limit;
    if (isLowSurrogate(text.charCodeAt(cut))) cut++;
    out.push([from, cut]);
    from = cut;
  }
  return out;
}

/** End index of the first match of `re` starting in [from, limit), or null. Searches a bounded slice. */
function findAfter(re: RegExp, text: string, from: number, limit: number): number | null {
  // A little room past the limit lets the match finish (its spaces and lookahead) there.
  const m = new RegExp(re.source, re.flags.replace("g", "")).exec(text.slice(from, limit + 64));
  return m && from + m.index < limit ? from + m.index + m[0].length : null;
}

/** sbd's sentences located in text[from, to), or null when any of them cannot be located exactly. */
function sbdSpans(text: string, from: number, to: number): SentenceSpan[] | null {
  const pieces = sbd.sentences(text.slice(from, to), SBD_OPTIONS);
  const spans: SentenceSpan[] = [];
  let cursor = from;
  for (const piece of pieces) {
    const wanted = piece.trim();
    if (wanted === "") continue;
    const span = locate(text, cursor, to, wanted);
    if (!span) return null;
    spans.push(span);
    cursor = span.end;
  }
  // Anything but whitespace left over means sbd dropped text: its split cannot be trusted.
  for (let i = cursor; i < to; i++) if (!isSpace(text.charCodeAt(i))) return null;
  return spans;
}

/** "U.S.", "U.K.", "D.C." at the end of a would-be sentence, as a whole word. */
const INITIALISM_END = /(?:^|[\s(“"‘'])(?:\p{Lu}\.){2,}$/u;

/**
 * sbd ends a sentence at "U.S." whenever a capital follows, which in news copy is nearly always
 * "U.S. President …" or "U.S. Senate …". Re-joining costs one over-long sentence in the rarer case
 * where the initialism really ends it; splitting would cut quotes in half.
 */
function mergeAfterInitialisms(text: string, spans: SentenceSpan[]): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const span of spans) {
    const prev = out[out.length - 1];
    if (prev && INITIALISM_END.test(text.slice(prev.start, prev.end))) prev.end = span.end;
    else out.push({ ...span });
  }
  return out;
}

/**
 * Finds `wanted` at the cursor (after whitespace). sbd may rewrite whitespace (a no-break space
 * becomes a space), so any whitespace run matches any whitespace run; everything else must be equal.
 */
function locate(text: string, cursor: number, limit: number, wanted: string): SentenceSpan | null {
  let i = cursor;
  while (i < limit && isSpace(text.charCodeAt(i))) i++;
  const start = i;
  let j = 0;
  while (j < wanted.length) {
    const w = wanted.charCodeAt(j);
    if (isSpace(w)) {
      while (j < wanted.length && isSpace(wanted.charCodeAt(j))) j++;
      if (i >= limit || !isSpace(text.charCodeAt(i))) return null;
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    if (i >= limit || text.charCodeAt(i) !== w) return null;
    i++;
    j++;
  }
  return { start, end: i };
}

/** The fallback: split text[from, to) after . ! ? (and closing quotes) followed by a capital. */
function regexSpans(text: string, from: number, to: number): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const chunk = text.slice(from, to);
  const re = new RegExp(BOUNDARY.source, BOUNDARY.flags);
  let segStart = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(chunk)) !== null) {
    const ws = /\s+$/.exec(m[0]);
    const segEnd = m.index + m[0].length - (ws ? ws[0].length : 0);
    pushTrimmed(text, from + segStart, from + segEnd, spans);
    segStart = m.index + m[0].length;
  }
  pushTrimmed(text, from + segStart, to, spans);
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, out: SentenceSpan[]): void {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end > start) out.push({ start, end });
}

const CLOSERS = new Set(["”", "’", '"', "'", ")", "]", "»"]);

/**
 * A closing quote or bracket belongs to the sentence it closes: if a split left one at the start of
 * the next sentence ("…deal.| ” Trump said"), it is moved back.
 */
function attachClosers(text: string, spans: SentenceSpan[]): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const span of spans) {
    const prev = out[out.length - 1];
    if (prev) {
      let k = span.start;
      while (k < span.end && CLOSERS.has(text[k]!)) k++;
      // Only when the marks are followed by a space (or end): '"Yes," she said' opens a quote.
      if (k > span.start && (k === span.end || isSpace(text.charCodeAt(k)))) {
        prev.end = k;
        let next = k;
        while (next < span.end && isSpace(text.charCodeAt(next))) next++;
        if (next >= span.end) continue;
        out.push({ start: next, end: span.end });
        continue;
      }
    }
    out.push({ ...span });
  }
  return out;
}

/** Sentences over MAX_SENTENCE_CHARS (lists, run-ons) become pieces of about SENTENCE_TARGET_CHARS. */
function splitLong(text: string, span: SentenceSpan): SentenceSpan[] {
  if (span.end - span.start <= MAX_SENTENCE_CHARS) return [span];
  const out: SentenceSpan[] = [];
  let pos = span.start;
  while (span.end - pos > MAX_SENTENCE_CHARS) {
    const cut = bestCut(text, pos + Math.floor(SENTENCE_TARGET_CHARS * 0.6), pos + Math.floor(SENTENCE_TARGET_CHARS * 1.4), pos + SENTENCE_TARGET_CHARS);
    pushTrimmed(text, pos, cut, out);
    pos = cut;
    while (pos < span.end && isSpace(text.charCodeAt(pos))) pos++;
  }
  pushTrimmed(text, pos, span.end, out);
  return out;
}

/** Cut index in [lo, hi]: after the ";" nearest the target, else after a ",", else at a space. */
function bestCut(text: string, lo: number, hi: number, target: number): number {
  let semicolon = -1;
  let comma = -1;
  let space = -1;
  const closer = (current: number, candidate: number) =>
    current === -1 || Math.abs(candidate - target) < Math.abs(current - target) ? candidate : current;
  for (let i = lo; i < hi; i++) {
    const c = text.charCodeAt(i);
    const followedBySpace = isSpace(text.charCodeAt(i + 1));
    if (c === 59 && followedBySpace) semicolon = closer(semicolon, i + 1);
    else if (c === 44 && followedBySpace) comma = closer(comma, i + 1);
    else if (isSpace(c) && !isSpace(text.charCodeAt(i - 1))) space = closer(space, i);
  }
  let cut = semicolon !== -1 ? semicolon : comma !== -1 ? comma : space !== -1 ? space : target;
  if (isLowSurrogate(text.charCodeAt(cut))) cut++; // never split a surrogate pair
  return cut;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Exactly the characters String.prototype.trim removes, so spans and trim() agree. */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0xa0 || Number.isNaN(code)) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 ||
    code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}
