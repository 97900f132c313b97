import { splitSentences } from "../articles/sentences.ts";
import type { SentenceSpan } from "../articles/types.ts";
import { CONNECTORS, isCapital, isRole, isWord, named, PersonNames, singularOf, type Named } from "./names.ts";
import { readSentences, type QuotedSentence, type Token } from "./tokens.ts";
import type { Attribution } from "./types.ts";
import {
  ADJECTIVES,
  AUXILIARIES,
  DETERMINERS,
  OPENERS,
  PASSIVE,
  PERSON_DESCRIPTIONS,
  ROLE_WORDS,
  PLURAL_SOURCES,
  PRONOUNS,
  QUOTE_ONLY_VERBS,
  SPEECH_PARTICIPLES,
  SPEECH_VERBS,
  THAT_VERBS,
} from "./words.ts";

export interface AttributedSentence extends SentenceSpan {
  attribution: Attribution;
}

/** A quotation whose speaker the article never names is still not the outlet's own words. */
export const UNNAMED_SPEAKER = "an unnamed speaker";

/** What a "he", "she", "it" or "they" can point back to, as the article reads on. */
interface Context {
  person: string | null;
  body: string | null;
  /** "X and Y", or a plural description ("Major companies"), as the subject of the sentence just read: a following "they". */
  group: Named | null;
  /** Whoever was last given words: a quotation that goes on without a new attribution is theirs. */
  speaker: Named | null;
  /** A person the reporting named after the last speaker ("Martyn Williams was keen not to talk..."): a new quotation is theirs. */
  introduced: string | null;
}

interface Paragraph {
  text: string;
  spans: SentenceSpan[];
  sentences: QuotedSentence[];
}

/**
 * Whose words each sentence of an article (or of its paragraphs up to a quoted one) is, paragraph
 * by paragraph, in the sentence ranges that quotes are cut by. Rules, in order: a speech verb with its speaker ("Peskov said", "said Dmitry
 * Lukashov, an analyst", "X, who ..., said", "he added" resolved to the person last in view);
 * "according to X"; a sentence inside or holding a quotation without one belongs to the
 * attribution that closes the quotation, else to whoever spoke last. Everything else is the
 * outlet's reporting, names mentioned or not ("Putin met Witkoff").
 */
export function attributeArticle(paragraphs: readonly string[], alsoNaming: readonly string[] = []): AttributedSentence[][] {
  const read: Paragraph[] = paragraphs.map((text) => {
    const spans = splitSentences(text);
    return { text, spans, sentences: readSentences(text, spans) };
  });
  const names = new PersonNames();
  // `alsoNaming`: paragraphs read only for the names they give in full (an article's lead, when only a later part is attributed).
  for (const text of alsoNaming) for (const s of readSentences(text, splitSentences(text))) names.add(s.tokens, text);
  for (const p of read) for (const s of p.sentences) names.add(s.tokens, p.text);
  const ctx: Context = { person: null, body: null, group: null, speaker: null, introduced: null };
  return read.map((p) =>
    p.sentences.map((s, i) => {
      const speaker = speakerOf(p, i, names, ctx);
      ctx.group = subjectGroup(s.tokens, p.text, names);
      if (speaker) {
        ctx.speaker = speaker;
        ctx.introduced = null;
        if (speaker.person) ctx.person = speaker.text;
        else if (!/s$/.test(speaker.text)) ctx.body = speaker.text;
      }
      if (!speaker?.person) {
        const named = names.mentioned(s.tokens, p.text)[0];
        ctx.person = named ?? ctx.person;
        if (!speaker && named && named !== ctx.speaker?.text) ctx.introduced = named;
      }
      return { start: p.spans[i]!.start, end: p.spans[i]!.end, attribution: speaker ? { kind: "attributed", speaker: speaker.text } : { kind: "reporting" } };
    }),
  );
}

/** The attribution of a quoted range of one paragraph (0-based): its first attributed sentence, else reporting. */
export function attributionOfRange(article: readonly AttributedSentence[][], paragraph: number, start: number, end: number): Attribution {
  const sentences = (article[paragraph] ?? []).filter((s) => s.start < end && s.end > start);
  return sentences.find((s) => s.attribution.kind === "attributed")?.attribution ?? { kind: "reporting" };
}

function speakerOf(p: Paragraph, i: number, names: PersonNames, ctx: Context): Named | null {
  const s = p.sentences[i]!;
  const explicit = explicitSpeaker(s.tokens, p.text, names, ctx);
  if (explicit) return explicit;
  if (!s.quoted) return null;
  // `"The first sentence. The second," he said.`: the attribution closes the quotation.
  for (let k = i + 1, open = s.openAtEnd; open && k < p.sentences.length && p.sentences[k]!.continues; k++) {
    const later = explicitSpeaker(p.sentences[k]!.tokens, p.text, names, ctx);
    if (later) return later;
    open = p.sentences[k]!.openAtEnd;
  }
  // A quotation that opens after the reporting named someone new is theirs; one that runs on is the last speaker's.
  if (ctx.introduced && !s.continues) return { text: ctx.introduced, person: true };
  return ctx.speaker ?? { text: UNNAMED_SPEAKER, person: false };
}

const NAMING_VERBS = new Set(["call", "calls", "called"]);
const isBreak = (t: Token | undefined) => t?.kind === "punct" && /^[,—–-]$/.test(t.text);
const isComma = (t: Token | undefined) => t?.kind === "punct" && t.text === ",";
const isQuote = (t: Token | undefined) => t?.kind === "quote";

/** The speaker a speech verb or "according to" in the sentence names, if any. */
function explicitSpeaker(tokens: readonly Token[], text: string, names: PersonNames, ctx: Context): Named | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isWord(t)) continue;
    if (t.lower === "according" && tokens[i + 1]?.lower === "to") {
      const found = resolve(forward(tokens, i + 2), text, names, undefined, ctx) ?? plainSource(tokens, i + 2, text);
      if (found) return found;
      continue;
    }
    if (SPEECH_PARTICIPLES.has(t.lower)) {
      if (insideOpeningPhrase(tokens, i)) continue;
      // "..., with analysts saying that ...": the noun before the participle speaks, not the sentence's subject.
      const back = i >= 2 && isWord(tokens[i - 1]) ? backward(tokens, i - 1) : null;
      const introducer = back ? tokens[tokens.indexOf(back.np[0]!) - 1] : undefined;
      const own = back && introducer?.lower === "with" ? resolve(back.np, text, names, undefined, ctx) : null;
      if (own) return own;
      const found = subject(tokens, text, names, ctx);
      if (found) return found;
      continue;
    }
    // "the United States", "his comments", "Putin's promises": names and nouns, not verbs.
    const verb = SPEECH_VERBS.has(t.lower) || (THAT_VERBS.has(t.lower) && tokens[i + 1]?.lower === "that");
    if (!verb || (isCapital(t) && i > 0)) continue;
    if (isWord(tokens[i - 1]) && (DETERMINERS.has(tokens[i - 1]!.lower) || /'s$/.test(tokens[i - 1]!.lower))) continue;
    const beside = tokens.slice(Math.max(0, i - 5), i + 2).some(isQuote) || tokens[i + 1]?.text === ":" || tokens[i + 1]?.lower === "that";
    // "Shares added an extra 6.4%": a market's move, not words.
    if (["add", "adds", "added"].includes(t.lower) && /^(?:\d|an?$|extra$)/.test(tokens[i + 1]?.lower ?? "")) continue;
    if (QUOTE_ONLY_VERBS.has(t.lower) && !beside) continue;
    // "a firm called Baikal" names the firm; "He called Trump a liar" is speech.
    if (NAMING_VERBS.has(t.lower) && isCapital(tokens[i + 1]) && !isCapital(tokens[i - 1]) && !PRONOUNS.has(tokens[i - 1]?.lower ?? "")) continue;
    let j = i - 1;
    while (j >= 0 && isWord(tokens[j]) && AUXILIARIES.has(tokens[j]!.lower)) j--;
    const before = tokens[j];
    if (isWord(before)) {
      // "is said to", "officials who said", "declined to say": nobody is given words here.
      if (PASSIVE.has(before.lower) || ["who", "which", "that", "to"].includes(before.lower)) continue;
      // A pronoun nobody in view fits still gives the words to someone.
      if (PRONOUNS.has(before.lower)) return pronoun(before.lower, ctx) ?? { text: UNNAMED_SPEAKER, person: false };
      // "Peskov expressed gratitude ... but said": the sentence's subject speaks.
      if (before.lower === "and" || before.lower === "but") {
        const found = subject(tokens, text, names, ctx);
        if (found) return found;
        continue;
      }
    }
    // "..., it is thought he failed to get the numbers, said Mr Dobrow.": a speaker that closes the
    // sentence after a comma is the one, however many clauses before it look like parentheses.
    if (isComma(before)) {
      const after = forward(tokens, i + 1);
      const rest = tokens.slice(i + 1 + after.length);
      if (after.length > 0 && rest.every((r) => r.kind === "punct" && r.text !== ",")) {
        const found = resolve(after, text, names, undefined, ctx);
        if (found) return found;
      }
    }
    if (!(isComma(before) && isQuote(tokens[j - 1])) && !isQuote(before)) {
      const back = backward(tokens, j);
      // "A US government claim accusing ...": a bare "claim" right after a singular "a ..." is a noun; "a spokesman would say" is not bare.
      if (back && j === i - 1 && SINGULAR.has(back.np[0]!.lower) && isBareForm(t.lower) && !/s$/.test(tokens[j]!.lower)) continue;
      const found = back && (back.phrase ? describedBy(back.np, text) : resolve(back.np, text, names, back.appositive, ctx));
      if (found) return found;
    }
    // Inverted, after the words or a clause: `..." said Russian oil official Sergei Oganesyan`.
    if (before === undefined || isQuote(before) || isComma(before) || before.text === ":") {
      const found = resolve(forward(tokens, i + 1), text, names, undefined, ctx);
      if (found) return found;
    }
  }
  return null;
}

function pronoun(word: string, ctx: Context): Named | null {
  if (word === "he" || word === "she") return ctx.person ? { text: ctx.person, person: true } : null;
  if (word === "they") {
    const plural = ctx.speaker && !ctx.speaker.person && /s$/.test(ctx.speaker.text) ? ctx.speaker.text : null;
    if (ctx.group) return ctx.group;
    const who = plural ?? ctx.body;
    return who ? { text: who, person: false } : null;
  }
  return ctx.body ? { text: ctx.body, person: false } : null;
}

/** A named speaker, or an unnamed source described well enough to be one ("a White House official", "analysts"). */
function resolve(np: Token[], text: string, names: PersonNames, appositive?: Token[], ctx?: Context): Named | null {
  const words = np.filter(isWord);
  while (words.length > 0 && ["of", "and"].includes(words[words.length - 1]!.lower)) words.pop();
  if (words.length === 0) return null;
  const describes =
    words.some((w, k) => isCapital(w) && !(k === 0 && OPENERS.has(w.lower))) ||
    DETERMINERS.has(words[0]!.lower) ||
    /'s$/.test(words[0]!.lower) ||
    (words.length === 1 && PLURAL_SOURCES.has(words[0]!.lower));
  if (!describes) return null;
  // "The company said" after Lufthansa spoke: the firm in view, as "the England captain" is the player in view.
  if (words.length === 2 && words[0]!.lower === "the" && FIRM_WORDS.has(words[1]!.lower) && ctx?.body && /^\p{Lu}/u.test(ctx.body.replace(/^the /, ""))) {
    return { text: ctx.body, person: false };
  }
  const found = named(words, text, names, appositive);
  // "the England captain said", "said the national team coach": the person in view, described by role.
  // Only a person in view by name: "the police spokesman" after "a spokesman" is fuller as written.
  if (found && ctx?.person && names.isPerson(ctx.person) && words[0]!.lower === "the" && found.person && !words.some((w, k) => k > 0 && isCapital(w) && isCapital(words[k + 1]))) {
    if (!names.isPerson(found.text)) return { text: ctx.person, person: true };
  }
  return found;
}

/**
 * "A US government claim accusing the firms of ... has been thrown out": a participle right after the
 * noun the sentence opens with describes that noun (a relative clause cut short); the sentence is
 * about the claim, not its words. Only before any verb, so "The minister spoke, saying" is speech.
 */
function insideOpeningPhrase(tokens: readonly Token[], i: number): boolean {
  const before = tokens.slice(0, i);
  if (before.length < 2 || before.length > 6 || !DETERMINERS.has(before[0]!.lower)) return false;
  return before.every((t, k) => isWord(t) && (k === before.length - 1 || !(SPEECH_VERBS.has(t.lower) || AUXILIARIES.has(t.lower) || PASSIVE.has(t.lower) || /ed$/.test(t.lower))));
}

/** "claim", "say", "deny", not "claims", "said" or "told": the list holds each bare form's "-s" form. */
const isBareForm = (verb: string) => [`${verb}s`, `${verb}es`, verb.replace(/y$/, "ies")].some((f) => f !== verb && SPEECH_VERBS.has(f));

/** Determiners of one thing: the verb after their noun phrase agrees, so a bare form there is a noun. */
const SINGULAR = new Set(["a", "an", "another", "one", "this", "its", "his", "her"]);

/** Words by which copy calls back a company it has named; "the court" or "the paper" may be another body. */
const FIRM_WORDS = new Set(["company", "firm", "group", "bank", "lender", "carrier", "airline", "insurer", "retailer", "broadcaster"]);

/**
 * The noun phrase that ends at token `j`, stepping back over parentheses between commas or dashes
 * ("Dr Greenspan, 79, who has been in the UK ..., said"); the first of those is its appositive.
 */
function backward(tokens: readonly Token[], j: number): { np: Token[]; appositive?: Token[]; phrase?: boolean } | null {
  // "The British Chambers of Commerce (BCC) said": the bracketed short form changes nothing.
  if (tokens[j]?.text === ")") {
    const open = tokens.slice(Math.max(0, j - 6), j).findLastIndex((t) => t.text === "(");
    if (open >= 0) j = Math.max(0, j - 6) + open - 1;
  }
  let appositive: Token[] | undefined;
  let skipped = false;
  while (j >= 0 && isBreak(tokens[j])) {
    let k = j - 1;
    while (k >= 0 && !isBreak(tokens[k]) && !isQuote(tokens[k])) k--;
    const segment = tokens.slice(k + 1, j);
    if (k >= 0 && isBreak(tokens[k]) && isParenthesis(segment, tokens[k - 1])) {
      appositive = segment;
      skipped = true;
      j = k;
      continue;
    }
    if (!skipped) return null;
    break;
  }
  if (skipped) j--;
  const np: Token[] = [];
  for (let k = j; k >= 0; k--) {
    const t = tokens[k]!;
    if (!isWord(t)) break;
    if (DETERMINERS.has(t.lower) || (/'s$/.test(t.lower) && isCapital(t) && np.length > 0)) {
      np.unshift(t);
      break;
    }
    if (CONNECTORS.has(t.lower) && np.length > 0 && (isCapital(tokens[k - 1]) || isRole(tokens[k - 1]) || CONNECTORS.has(tokens[k - 1]?.lower ?? ""))) np.unshift(t);
    // "the board of directors said".
    else if (t.lower === "of" && np.length > 0 && !isCapital(np[0]) && determinerWithin(tokens, k)) np.unshift(t);
    else if (OPENERS.has(t.lower)) break;
    else if (isCapital(t) || isRole(t) || ADJECTIVES.has(t.lower) || PLURAL_SOURCES.has(t.lower)) np.unshift(t);
    // The noun a description ends in: "the lawsuit states", "the filing documents said".
    else if (np.length === 0 && determinerWithin(tokens, k)) np.unshift(t);
    else if (np.length > 0 && !isCapital(np[0]) && determinerWithin(tokens, k)) np.unshift(t);
    // A plain word inside a description: "a senior defence official".
    else if (np.length > 0 && isRole(np[0]) && !SPEECH_VERBS.has(t.lower)) np.unshift(t);
    else break;
  }
  if (np.length === 0) return null;
  const at = tokens.indexOf(np[0]!) - 1;
  // "Michael Lamberty, a Lufthansa spokesman told the BBC": a description after a name, its closing comma missing.
  if (!skipped && isComma(tokens[at]) && DETERMINERS.has(np[0]!.lower) && !np.some((w, i) => i > 0 && isCapital(w) && isCapital(np[i + 1]))) {
    const name = backward(tokens, at - 1);
    const opens = (t: Token | undefined) => !isWord(t) || OPENERS.has(t.lower);
    // The name opens its clause ("..., Michael Lamberty, a spokesman told"), unlike "On 28 December, another adviser called".
    if (name && isCapital(name.np[name.np.length - 1]) && !DETERMINERS.has(name.np[0]!.lower) && opens(tokens[tokens.indexOf(name.np[0]!) - 1])) return { np: name.np, appositive: np };
  }
  // "Howard Archer, economist at Global Insight said": a parenthesis whose closing comma is missing.
  if (!skipped && isWord(tokens[at]) && PREPOSITIONS.has(tokens[at]!.lower)) {
    const comma = tokens.slice(0, at).findLastIndex(isComma);
    if (comma > 0 && isParenthesis(tokens.slice(comma + 1, at), tokens[comma - 1])) {
      const before = backward(tokens, comma - 1);
      if (before) return { np: before.np, appositive: tokens.slice(comma + 1, at) };
    }
  }
  // "The court in Washington found", "A National Audit Office report on the 20 biggest projects
  // says": the phrase after the preposition qualifies the noun before it, which is the speaker.
  if (!skipped && isWord(tokens[at]) && QUALIFYING.has(tokens[at]!.lower)) {
    const head = tokens[at - 1];
    if (isWord(head) && !isCapital(head) && (isRole(head) || DOCUMENT_NOUNS.has(head.lower))) {
      // "report" is also a speech verb, so the phrase before it is read without it.
      const document = DOCUMENT_NOUNS.has(head.lower) ? backward(tokens, at - 2) : null;
      const before = document ? { np: [...document.np, head] } : backward(tokens, at - 1);
      // A named head speaks for itself ("the NAO report"); a bare one only with its qualifier ("the court in Washington").
      if (before) return before.np.some((w, k) => k > 0 && isCapital(w)) ? { np: before.np } : { np: [...before.np, tokens[at]!, ...np], appositive, phrase: true };
    }
  }
  return { np, appositive };
}

const QUALIFYING = new Set(["in", "on", "at", "for", "from", "about", "over"]);

/** A source described with its qualifier, as written ("the court in Washington"): the name inside only qualifies it. */
function describedBy(np: readonly Token[], text: string): Named {
  const phrase = text.slice(np[0]!.start, np[np.length - 1]!.end);
  const lowered = DETERMINERS.has(np[0]!.lower) ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
  const head = np.find((w, k) => QUALIFYING.has(np[k + 1]?.lower ?? "") && isRole(w));
  return { text: lowered, person: head !== undefined && (ROLE_WORDS.has(singularOf(head.lower)) || PERSON_DESCRIPTIONS.has(singularOf(head.lower))) };
}

/** What a body publishes; "a National Audit Office report says" is the office's finding. */
export const DOCUMENT_NOUNS = new Set(["report", "study", "survey", "statement", "review", "analysis", "paper", "filing", "letter"]);

const PREPOSITIONS = new Set(["at", "of", "for", "from", "with", "in"]);

/** A determiner at most three plain lower-case words before token `k` ("the filing documents"). */
function determinerWithin(tokens: readonly Token[], k: number): boolean {
  for (let d = k - 1; d >= Math.max(0, k - 3); d--) {
    const t = tokens[d];
    if (!isWord(t)) return false;
    // "The tobacco companies deny": the determiner that opens the sentence is in capitals.
    if (DETERMINERS.has(t.lower)) return true;
    if (isCapital(t)) return false;
    if ((OPENERS.has(t.lower) && t.lower !== "of") || SPEECH_VERBS.has(t.lower)) return false;
  }
  return false;
}

/**
 * A parenthesis after a name: it opens in lower case or a number ("79", "who ...", "the chairman
 * of ..."), or it is the name of the role before it ("the minister, Anna Berg, said").
 */
function isParenthesis(segment: readonly Token[], before: Token | undefined): boolean {
  const first = segment[0];
  if (!isWord(first) || segment.length > 30) return false;
  // "Cory Doctorow, European outreach coordinator for ..., said": a description after a name.
  const describesName = isCapital(before) && segment.slice(0, 4).some(isRole);
  return !isCapital(first) || describesName || (isRole(before) && segment.every(isCapital));
}

/** The noun phrase that starts at token `i` ("said Dmitry Lukashov, an analyst": Dmitry Lukashov). */
function forward(tokens: readonly Token[], i: number): Token[] {
  const np: Token[] = [];
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!isWord(t)) break;
    const first = np.length === 0;
    if (first && (DETERMINERS.has(t.lower) || (/'s$/.test(t.lower) && isCapital(t)))) np.push(t);
    else if (/'s$/.test(t.lower)) break;
    else if (isCapital(t) || isRole(t) || ADJECTIVES.has(t.lower) || PLURAL_SOURCES.has(t.lower)) np.push(t);
    else if (CONNECTORS.has(t.lower) && !first && (isCapital(tokens[k + 1]) || isRole(tokens[k + 1]) || CONNECTORS.has(tokens[k + 1]?.lower ?? ""))) np.push(t);
    // "Russian oil official Sergei Oganesyan", "the national team coach", "blog analysis firm Technorati": plain words inside a description.
    else if ((isRole(tokens[k + 1]) || (isWord(tokens[k + 1]) && isRole(tokens[k + 2]))) && !SPEECH_VERBS.has(t.lower) && !OPENERS.has(t.lower)) np.push(t);
    else if (!first && np.every((w) => DETERMINERS.has(w.lower) || ADJECTIVES.has(w.lower))) {
      np.push(t);
      break;
    } else break;
  }
  return np;
}

/**
 * Whatever follows "according to" is the source, though it is no name nor role: "according to
 * court records", "according to figures". Up to the next punctuation or preposition.
 */
function plainSource(tokens: readonly Token[], i: number, text: string): Named | null {
  const np: Token[] = [];
  for (let k = i; k < tokens.length && np.length < 5; k++) {
    const t = tokens[k]!;
    if (!isWord(t) || (OPENERS.has(t.lower) && !DETERMINERS.has(t.lower))) break;
    np.push(t);
  }
  if (np.length === 0 || np.every((t) => DETERMINERS.has(t.lower))) return null;
  return { text: text.slice(np[0]!.start, np[np.length - 1]!.end), person: false };
}

/** The subject the sentence opens with, after "But", "And", "However,"... */
function subject(tokens: readonly Token[], text: string, names: PersonNames, ctx: Context): Named | null {
  let i = 0;
  while (i < tokens.length && (!isWord(tokens[i]) || (OPENERS.has(tokens[i]!.lower) && !DETERMINERS.has(tokens[i]!.lower)))) {
    if (isWord(tokens[i]) && PRONOUNS.has(tokens[i]!.lower)) return pronoun(tokens[i]!.lower, ctx);
    i++;
  }
  return resolve(forward(tokens, i), text, names);
}

/**
 * "Steve Witkoff and Jared Kushner held talks": the two people a following "they" means; "Major
 * companies including Siemens have spent ...": the plural description it means.
 */
function subjectGroup(tokens: readonly Token[], text: string, names: PersonNames): Named | null {
  const first = forward(tokens, 0);
  const and = tokens[first.length];
  if (first.length === 0) return null;
  if (and?.lower !== "and") {
    const head = first[first.length - 1]!;
    // Only a description whose head is a plural noun of speakers: "Shares" or "Prices" say nothing.
    if (isCapital(head) || !/s$/.test(head.lower) || !(isRole(head) || PLURAL_SOURCES.has(head.lower))) return null;
    const found = resolve(first, text, names);
    return found && !found.person ? found : null;
  }
  const second = forward(tokens, first.length + 1);
  const a = resolve(first, text, names);
  const b = resolve(second, text, names);
  return a?.person && b?.person ? { text: `${a.text} and ${b.text}`, person: true } : null;
}
