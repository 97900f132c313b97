import type { SentenceSpan } from "../articles/types.ts";

/**
 * A sentence as the attribution rules read it: words and punctuation, with a quotation of four
 * words or more folded into one QUOTE token (a speech verb inside someone's words is theirs, not
 * the attribution), and the marks of a short one ("LA", "marked as unacceptable") dropped so that
 * the words around it read on.
 */
export interface Token {
  text: string;
  /** Lower case, curly apostrophe straightened. */
  lower: string;
  kind: "word" | "punct" | "quote";
  start: number;
  end: number;
}

export interface QuotedSentence {
  tokens: Token[];
  /** The sentence begins inside a quotation opened before it (its speaker is that quotation's). */
  startedOpen: boolean;
  /** A quotation was open before it: it goes on with it, or reopens it with a fresh mark. */
  continues: boolean;
  /** It holds a quotation of four words or more, or begins inside one. */
  quoted: boolean;
  /** A quotation is still open at its end: the next sentence continues it. */
  openAtEnd: boolean;
}

const QUOTE_MIN_WORDS = 4;
const TOKEN = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:[’'\-][\p{L}\p{N}]+)*|[“”"]|[^\s\p{L}\p{N}]/gu;

/**
 * The sentences of a paragraph with their quotations found. A straight quote opens after a space
 * (or at the start) and closes otherwise; one at the start of a sentence always opens, as news copy
 * reopens a quotation that runs on over paragraphs without closing it first.
 */
export function readSentences(paragraph: string, spans: readonly SentenceSpan[]): QuotedSentence[] {
  let open = false;
  return spans.map((span) => {
    const continues = open;
    const startedOpen = open && !isQuoteMark(paragraph[span.start]!);
    const inside: boolean[] = [];
    for (let i = span.start; i < span.end; i++) {
      const c = paragraph[i]!;
      if (c === "“" || (c === '"' && (i === span.start || /[\s(\[—–-]/.test(paragraph[i - 1]!)))) open = true;
      else if (c === "”" || c === '"') open = false;
      inside.push(open && !isQuoteMark(c));
    }
    const words = [...paragraph.slice(span.start, span.end).matchAll(TOKEN)].map((m) => ({
      text: m[0],
      lower: m[0].toLowerCase().replace(/’/g, "'"),
      kind: /[\p{L}\p{N}]/u.test(m[0]) ? ("word" as const) : isQuoteMark(m[0]) ? ("quote" as const) : ("punct" as const),
      start: span.start + m.index,
      end: span.start + m.index + m[0].length,
      inside: inside[m.index]!,
    }));
    const tokens: Token[] = [];
    let quoted = startedOpen;
    for (let i = 0; i < words.length; ) {
      const w = words[i]!;
      if (!w.inside && w.kind !== "quote") {
        tokens.push(strip(w));
        i++;
        continue;
      }
      let j = i;
      while (j < words.length && (words[j]!.inside || words[j]!.kind === "quote")) j++;
      const run = words.slice(i, j);
      const inner = run.filter((t) => t.inside && t.kind === "word");
      // A sentence that opens inside a quotation, or with one, is someone's words however short.
      const fromStart = i === 0 && (startedOpen || w.kind === "quote");
      if (fromStart || inner.length >= QUOTE_MIN_WORDS) {
        quoted = true;
        tokens.push({ text: "QUOTE", lower: "quote", kind: "quote", start: run[0]!.start, end: run[run.length - 1]!.end });
      } else tokens.push(...run.filter((t) => t.kind !== "quote").map(strip));
      i = j;
    }
    return { tokens, startedOpen, continues, quoted, openAtEnd: open };
  });
}

function isQuoteMark(c: string): boolean {
  return c === '"' || c === "“" || c === "”";
}

function strip(w: Token & { inside: boolean }): Token {
  return { text: w.text, lower: w.lower, kind: w.kind, start: w.start, end: w.end };
}
