import { analyseQuestion, type AnalysedQuestion, type QueryTerm, type Vocabulary } from "../retrieval/query.ts";
import type { ConversationTurn } from "./types.ts";

/**
 * A follow-up leans on the conversation: "where are they meeting next?" after "who is Witkoff?"
 * is about Witkoff. Words of the earlier question that the follow-up leaves out are carried over
 * at a lower weight, and the articles the earlier answer cited are preferred (not required: a
 * follow-up may move to another story).
 */
export interface FollowUp {
  /** Carried words, to search alongside the question's own. */
  carried: QueryTerm[];
  /** Text to embed with the question: the topic it leaves out. */
  topic: string;
  articles: Set<string>;
  /** Whether the question leans on the conversation (pronoun, ellipsis) or stands on its own. */
  dependent: boolean;
}

/** Weight of a carried word, and the bonus of the earlier articles, by how much the question leans. */
const CARRY_DEPENDENT = 0.6;
const PREFER_DEPENDENT = 0.15;
const PREFER_STANDALONE = 0.03;

const PRONOUN = /\b(?:he|she|they|them|him|his|her|hers|their|theirs|it|its|this|that|these|those|there|then|the same|else|other|others)\b/;
// "how many in december", "when in march": a question word and straight away a preposition has
// left its subject out. Seen on the dev half's follow-ups ("how many texts were sent in 2004" ->
// "how many in december" searched only "december").
const ELLIPSIS = /^(?:and|also|but|so|what about|how about|what else|anything else)\b|^(?:why|when|where|how|who|how come|how much|how many)$|^(?:how many|how much|how long|when|where|what|who|which)\s+(?:in|on|at|for|of|by|from|since|after|before|during)\b/;

export function followUp(question: AnalysedQuestion, context: readonly ConversationTurn[], vocabulary: Vocabulary): FollowUp | null {
  if (context.length === 0) return null;
  // Each earlier turn's topic: its own words, plus what it carried when it was a follow-up itself.
  let topic: QueryTerm[] = [];
  let articles = new Set<string>();
  for (const turn of context.slice(-4)) {
    const a = analyseQuestion(turn.question, vocabulary);
    topic = leans(a) ? merge(a.terms, topic) : a.terms;
    const cited = new Set((turn.answer?.citations ?? []).map((c) => c.articleId));
    if (cited.size > 0) articles = cited;
  }
  const dependent = leans(question);
  const own = new Set(question.terms.flatMap((t) => t.variants.map((v) => v.term)));
  const carried = dependent
    ? topic.filter((t) => !t.variants.some((v) => own.has(v.term))).map((t) => ({ ...t, weight: CARRY_DEPENDENT * t.weight, fromContext: true }))
    : [];
  return { carried, topic: carried.map((t) => t.correctedTo ?? t.word).join(" "), articles, dependent };
}

export function preferBonus(f: FollowUp): number {
  return f.dependent ? PREFER_DEPENDENT : PREFER_STANDALONE;
}

/** A question that cannot stand alone: a pronoun or ellipsis ("and when?"), or no words of its own. */
function leans(q: AnalysedQuestion): boolean {
  // "is there a deal yet?" points at nothing: existential "there" is not a place named earlier.
  const text = q.text.toLowerCase().replace(/\b(?:is|are|was|were|will|has|have|had|any|anything)\s+there\b/g, " ");
  return PRONOUN.test(text) || ELLIPSIS.test(text) || q.terms.length === 0;
}

function merge(own: QueryTerm[], earlier: QueryTerm[]): QueryTerm[] {
  const seen = new Set(own.flatMap((t) => t.variants.map((v) => v.term)));
  return [...own, ...earlier.filter((t) => !t.variants.some((v) => seen.has(v.term)))];
}
