import { attributeArticle, attributionOfRange, type AttributedSentence } from "../attribution/attribute.ts";
import type { Attribution } from "../attribution/types.ts";
import { oneLine, truncateAtWord } from "../common/text.ts";
import type { Store } from "../store/store.ts";
import type { Citation, Quote } from "./types.ts";

/** Longest speaker or title shown in the line under a quote. */
const MAX_NAME_CHARS = 80;

/**
 * Paragraphs read before a quoted one, for the speaker of a "he said" or of a quotation that runs
 * on, and the article's opening paragraphs, for the full names it introduces. Bounded so that a
 * huge article costs an answer milliseconds, not seconds: the names and speakers a quote needs are
 * near it or in the lead.
 */
const CONTEXT_PARAGRAPHS = 40;
const CONTEXT_CHARS = 40_000;
const LEAD_PARAGRAPHS = 5;

/** Whose words a quote is, read from its article's stored paragraphs when the answer is made. */
export function quoteAttributor(store: Store): (articleId: string, paragraphIdx: number, start: number, end: number) => Attribution {
  const read = new Map<string, { article: AttributedSentence[][]; at: number }>();
  return (articleId, paragraphIdx, start, end) => {
    const key = `${paragraphIdx}:${articleId}`;
    let found = read.get(key);
    if (!found) {
      const before = (store.paragraphWithContext(articleId, paragraphIdx + 1, CONTEXT_PARAGRAPHS) ?? []).filter((p) => p.paragraph <= paragraphIdx + 1);
      let chars = 0;
      const window = before.reverse().filter((p) => (chars += p.text.length) <= CONTEXT_CHARS || p.paragraph === paragraphIdx + 1).reverse();
      const first = window[0]?.paragraph ?? 1;
      const lead = first > 1 ? (store.paragraphWithContext(articleId, 1, LEAD_PARAGRAPHS - 1) ?? []).filter((p) => p.paragraph < first).map((p) => p.text) : [];
      found = { article: attributeArticle(window.map((p) => p.text), lead), at: paragraphIdx + 1 - first };
      read.set(key, found);
    }
    return attributionOfRange(found.article, found.at, start, end);
  };
}

/**
 * The line every face shows under a quote, so that nobody reads a source's claim as the outlet's
 * finding: "attributed to Dmitry Peskov, as reported by V7N", "V7N's reporting"; an article
 * without an outlet is named by its title. Null for a quote that carries no attribution.
 */
export function whoseWords(quote: Pick<Quote, "attribution">, citation: Pick<Citation, "outlet" | "title"> | undefined): string | null {
  const a = quote.attribution;
  if (!a) return null;
  const outlet = citation?.outlet ? truncateAtWord(oneLine(citation.outlet), MAX_NAME_CHARS) : null;
  const title = citation?.title ? `“${truncateAtWord(oneLine(citation.title), MAX_NAME_CHARS)}”` : "the article";
  if (a.kind === "reporting") return outlet ? `${outlet}'s reporting` : `the reporting of ${title}`;
  return `attributed to ${truncateAtWord(oneLine(a.speaker), MAX_NAME_CHARS)}, as reported ${outlet ? `by ${outlet}` : `in ${title}`}`;
}
