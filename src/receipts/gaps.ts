import { pacer } from "../common/pace.ts";
import { normaliseQuestion } from "../retrieval/chat-language.ts";
import { spellingKey, topicWords } from "../retrieval/query.ts";
import type { Gap, GapReport } from "./types.ts";

/** Days a gap report may look back; receipts are pruned by RECEIPT_RETENTION_DAYS anyway. */
export const MAX_GAP_DAYS = 365;
export const DEFAULT_GAP_DAYS = 7;
/** Topics a report lists at most: the first page of a story-idea list, not an archive. */
export const MAX_GAP_TOPICS = 25;
/** Questions a report reads at most, the latest first: bounds its time (~20 µs each) and memory whatever the window. */
export const MAX_GAP_QUESTIONS = 50_000;

/** A question the coverage did not answer (declined, or closest coverage only), or an answer rated not helpful. */
export interface UnansweredQuestion {
  question: string;
  at: string;
  kind: "declined" | "not helpful";
}

interface Item extends UnansweredQuestion {
  /** Key terms: stems, one spelling per name. */
  keys: Set<string>;
  /** Key -> the member's word for it. */
  words: Map<string, string>;
}

/**
 * Groups unanswered questions into topics by the key terms they share, most asked first. Key
 * terms are the answer path's own: chat language rewritten, stopwords and framing out, stems, one
 * spelling per name ("Zelenskiy's", "zelensky" -> one term), so a topic reads as the search did.
 *
 * Greedy, because the list is for reading, not for a clustering score: the term most questions
 * hold makes a topic of all of them, they leave the pool, and the next term is chosen from the rest.
 * Between terms held equally often, the one fewer paragraphs of the coverage hold names the topic:
 * "bitcoin price" and "bitcoin crash" are about bitcoin, and "price" runs through the business pages.
 */
export function groupGaps(asked: UnansweredQuestion[], limit: number, paragraphsHolding: (key: string) => number = () => 0): Gap[] {
  return groupItems(asked.map(itemOf), limit, paragraphsHolding);
}

function itemOf(q: UnansweredQuestion): Item {
  const words = new Map<string, string>();
  for (const w of topicWords(normaliseQuestion(q.question).text)) {
    const key = spellingKey(w.stem);
    if (!words.has(key)) words.set(key, w.word);
  }
  return { ...q, keys: new Set(words.keys()), words };
}

/**
 * Each question is read once: an inverted index from key to questions, and per key how many are
 * still in the pool, lowered as topics take them. 100,000 questions group in well under a second.
 */
function groupItems(items: Item[], limit: number, paragraphsHolding: (key: string) => number): Gap[] {
  const holding = new Map<string, Item[]>();
  for (const item of items) for (const key of item.keys) (holding.get(key) ?? holding.set(key, []).get(key)!).push(item);
  const left = new Map([...holding].map(([key, list]) => [key, list.length]));
  const taken = new Set<Item>();
  const gaps: Gap[] = [];
  while (gaps.length < limit && left.size > 0) {
    const best = mostShared(left, holding, taken, paragraphsHolding);
    const group = holding.get(best)!.filter((i) => !taken.has(i));
    for (const item of group) {
      taken.add(item);
      for (const key of item.keys) {
        const n = left.get(key)! - 1;
        if (n === 0) left.delete(key);
        else left.set(key, n);
      }
    }
    gaps.push(gapOf(group, best));
  }
  return gaps.sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked));
}

/** The key the most questions left hold; ties go to the rarer in the coverage, the most recently asked, then the alphabet, so a report is stable. */
function mostShared(left: Map<string, number>, holding: Map<string, Item[]>, taken: Set<Item>, paragraphsHolding: (key: string) => number): string {
  let top = 0;
  for (const n of left.values()) if (n > top) top = n;
  const lastAsked = (key: string) => holding.get(key)!.reduce((last, i) => (!taken.has(i) && i.at > last ? i.at : last), "");
  const tied = [...left].filter(([, n]) => n === top).map(([key]) => ({ key, df: paragraphsHolding(key), last: lastAsked(key) }));
  tied.sort((a, b) => a.df - b.df || b.last.localeCompare(a.last) || a.key.localeCompare(b.key));
  return tied[0]!.key;
}

/** Terms a topic shows: the one that made it, then the others most of its questions hold (at most 4). */
const MAX_TERMS = 4;

function gapOf(group: Item[], best: string): Gap {
  const held = new Map<string, number>();
  for (const item of group) for (const key of item.keys) held.set(key, (held.get(key) ?? 0) + 1);
  const shared = [...held]
    .filter(([key, n]) => key === best || n * 2 > group.length)
    .sort((a, b) => Number(b[0] === best) - Number(a[0] === best) || b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TERMS)
    .map(([key]) => key);
  // The question that says the most of the topic, the latest of those: what a reporter reads first.
  const example = group.reduce((a, b) => {
    const score = (i: Item) => shared.filter((k) => i.keys.has(k)).length;
    return score(b) > score(a) || (score(b) === score(a) && b.at > a.at) ? b : a;
  });
  const declined = group.filter((i) => i.kind === "declined").length;
  return {
    terms: shared.map((key) => memberWord(group, key)),
    count: group.length,
    declined,
    notHelpful: group.length - declined,
    example: example.question,
    lastAsked: group.reduce((last, i) => (i.at > last ? i.at : last), ""),
  };
}

/** The word members typed most for a key ("zelensky" rather than the stem "zelenskiy"). */
function memberWord(group: Item[], key: string): string {
  const typed = new Map<string, number>();
  for (const item of group) {
    const w = item.words.get(key);
    if (w !== undefined) typed.set(w, (typed.get(w) ?? 0) + 1);
  }
  return [...typed].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? key;
}

/** Whole days from 1 to MAX_GAP_DAYS; throws RangeError otherwise (the faces check first and say so). */
export function checkGapDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_GAP_DAYS) throw new RangeError(`days must be a whole number from 1 to ${MAX_GAP_DAYS}, not ${days}`);
  return days;
}

/**
 * The report a face shows. Reading the questions' key terms is the long part (about 20 µs a
 * question), so it hands the event loop back every 25 ms: a bot serving members while staff ask
 * for a year of gaps keeps answering.
 */
export async function gapReport(
  asked: UnansweredQuestion[],
  window: { days: number; since: Date; unanswered: number },
  limit: number,
  paragraphsHolding?: (key: string) => number,
): Promise<GapReport> {
  const pace = pacer();
  const items: Item[] = [];
  for (const q of asked) {
    items.push(itemOf(q));
    await pace();
  }
  const gaps = groupItems(items, Math.min(Math.max(1, Math.floor(limit)), MAX_GAP_TOPICS), paragraphsHolding ?? (() => 0));
  return { days: window.days, since: window.since.toISOString(), unanswered: window.unanswered, read: asked.length, gaps };
}
