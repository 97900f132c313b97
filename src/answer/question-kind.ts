import { ROLE_WORDS as ROLES } from "../attribution/words.ts";
import type { QuestionKind } from "./types.ts";

/**
 * What makes a sentence the kind of answer a question asks for, beyond sharing its words:
 * - "who is X": a sentence that says what X is (a title or role next to the name, an apposition)
 *   over one that merely mentions X;
 * - "what did X say (about Y)": a sentence attributed to X (X said, according to X, X's quoted
 *   words, or "he said" right after X);
 * - yes/no and "where does it stand": a sentence that settles it (a negation, a state, a "yet").
 * The bonus adds to the sentence's score; the weights are tuned on the dev half (docs/quality.md).
 */
export interface KindSignals {
  kind: QuestionKind;
  /** Index terms of X. */
  subject: Set<string>;
}

const W_ROLE = 0.25;
const W_ATTRIBUTED = 0.2;
const W_SETTLES = 0.08;

const SPEECH = /\b(?:said|says|say|told|tells|warned|warns|stressed|added|adds|accused|accuses|insisted|insists|argued|argues|claimed|claims|called|calls|described|urged|denied|rejected|confirmed|admitted|expressed|explained|announced|signalled|signaled|according to)\b|[“”"]/i;
const OPENS_WITH_PRONOUN = /^\W*(?:he|she|they|his|her|their)\b/i;
const SETTLES = /\b(?:not|no|never|yet|without|denied|rejected|confirmed|agreed|remains?|uncertain|failed|refused|ruled out|approved|unlikely|still)\b/i;

export function kindBonus(signals: KindSignals, sentence: string, sentenceTerms: readonly string[], previous: string | null): number {
  switch (signals.kind) {
    case "whois":
      return mentions(signals.subject, sentenceTerms) && describesRole(signals.subject, sentence) ? W_ROLE : 0;
    case "said": {
      if (signals.subject.size === 0 || !SPEECH.test(sentence)) return 0;
      if (mentions(signals.subject, sentenceTerms)) return W_ATTRIBUTED;
      // "He said..." right after a sentence naming X.
      return previous !== null && OPENS_WITH_PRONOUN.test(sentence) && mentionsText(signals.subject, previous) ? W_ATTRIBUTED : 0;
    }
    case "yesno":
    case "status":
      return SETTLES.test(sentence) ? W_SETTLES : 0;
    default:
      return 0;
  }
}

function mentions(subject: Set<string>, terms: readonly string[]): boolean {
  for (const t of terms) if (subject.has(t)) return true;
  return false;
}

function mentionsText(subject: Set<string>, text: string): boolean {
  const lower = text.toLowerCase();
  for (const s of subject) if (lower.includes(s)) return true;
  return false;
}

/**
 * A role word within a few words before the name ("special envoy Steve Witkoff", "Spokesman
 * Dmitry Peskov"), or an apposition after it ("Chidambaram, India's finance minister"; "X is a").
 */
function describesRole(subject: Set<string>, sentence: string): boolean {
  const tokens = sentence.split(/\s+/);
  const bare = tokens.map((t) => t.toLowerCase().replace(/[^\p{L}\p{N}-]+/gu, "").replace(/s$/, ""));
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.toLowerCase().replace(/[’']s$/, "").replace(/[^\p{L}\p{N}-]+/gu, "");
    if (![...subject].some((s) => word === s || word.startsWith(s))) continue;
    for (let j = Math.max(0, i - 5); j < i; j++) if (ROLES.has(bare[j]!)) return true;
    const after = tokens.slice(i, i + 3).join(" ");
    if (/^[^,]*,\s+(?:the|a|an|who|\p{Lu})/u.test(after) || /^\S+\s+(?:is|was)\s+(?:a|an|the)\b/.test(after)) {
      const next = bare.slice(i + 1, i + 8);
      if (next.some((w) => ROLES.has(w)) || /,\s+who\b/.test(after)) return true;
    }
  }
  return false;
}
