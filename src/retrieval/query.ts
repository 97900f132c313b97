import type { QueryGroup } from "../index/lexical-index.ts";
import { normaliseQuestion } from "./chat-language.ts";
import { isStopword, stem, words } from "../index/terms.ts";

export type QuestionKind = "yesno" | "status" | "whois" | "said" | "other";

/** What the analysis needs from the coverage's own vocabulary (the lexical index). */
export interface Vocabulary {
  documentFrequency(term: string): number;
  similarTerms(term: string, maxDistance: number): { term: string; df: number; distance: number }[];
  surfaceOf(term: string): string;
}

/** One word of the question, with the index terms that count as it. */
export interface QueryTerm extends QueryGroup {
  /** The member's word, normalised (lower case, chat spelling expanded): what "Searched for" shows. */
  word: string;
  /** The coverage's spelling, when the member's word was not in it ("zelensky" -> "zelenskiy"). */
  correctedTo: string | null;
  /** Carried over from an earlier question of the conversation. */
  fromContext: boolean;
}


export interface AnalysedQuestion {
  /** The question in plain words (chat language rewritten): what is embedded. */
  text: string;
  terms: QueryTerm[];
  kind: QuestionKind;
  /** Index terms naming who the question is about ("who is X", "what did X say"). */
  subject: Set<string>;
}

/** Words that only frame a chat question; they match everywhere and say nothing about the topic. */
const FRAMING = new Set(
  `know knows knew think saying talking happening happened happen latest news update updates stuff thing things anything
  something everything someone anyone anybody everybody everyone actually even really exactly basically literally guys
  bot wondering mean kinda sorta`.split(/\s+/).filter(Boolean),
);

/** Speech verbs: in "what did X say about Y" they mark the kind, not the topic. */
const SPEECH = new Set("say says said saying tell tells told talk talked talking think thinks reckon claim claims claimed comment comments".split(" "));

/**
 * Words the coverage says differently, both ways. A small hand-kept list of news vocabulary, not a
 * thesaurus: each pair was seen missing in members' questions ("is there a deal" vs "no final
 * agreements"). Weighted below the word itself.
 */
const SYNONYMS: string[][] = [
  ["deal", "agreement", "settlement", "accord", "compromise", "breakthrough"],
  ["talks", "negotiations", "discussions"],
  ["fired", "sacked", "dismissed", "axed"],
  ["quit", "resigned", "resignation"],
  ["jail", "prison", "jailed", "imprisoned"],
  ["boss", "chief", "head"],
  ["bought", "buy", "acquired", "acquisition", "purchase"],
  ["film", "movie"],
  ["firm", "company"],
  ["won", "win", "beat", "victory"],
  ["phone", "mobile", "handset"],
  ["kicked", "evicted", "deported", "expelled", "booted"],
  ["died", "killed", "dead", "deaths"],
  ["plan", "proposal", "proposals", "draft"],
  ["fake", "counterfeit", "pirated"],
  ["cost", "price", "paid", "pay"],
  ["started", "founded", "formed"],
  ["banned", "ban", "barred"],
  ["texts", "text", "messages", "sms"],
  ["usa", "america", "american"],
  ["uk", "britain", "british"],
  ["eu", "europe", "european"],
];
/** Countries and their adjectives that no suffix rule joins. */
const DEMONYMS: string[][] = [
  ["wales", "welsh"], ["france", "french"], ["spain", "spanish"], ["germany", "german"], ["netherlands", "dutch", "holland"],
  ["scotland", "scottish", "scots"], ["ireland", "irish"], ["switzerland", "swiss"], ["greece", "greek"], ["turkey", "turkish"],
  ["poland", "polish"], ["britain", "british"], ["england", "english"], ["sweden", "swedish"], ["denmark", "danish"],
  ["finland", "finnish"], ["norway", "norwegian"], ["thailand", "thai"], ["philippines", "filipino"], ["iraq", "iraqi"],
];
const SYNONYM_WEIGHT = 0.5;
/** Alternate spellings of the same word or name, both ways. */
const SPELLING_VARIANTS: string[][] = [
  ["kyiv", "kiev"],
  ["zelenskiy", "zelensky", "zelenskyy"],
  ["gaddafi", "qaddafi", "kadhafi"],
  ["mumbai", "bombay"],
];
const FAMILY_WEIGHT = 0.7;

const synonymsOf = indexGroups(SYNONYMS);
const demonymsOf = indexGroups(DEMONYMS);
const spellingsOf = indexGroups(SPELLING_VARIANTS);

function indexGroups(groups: string[][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const g of groups) {
    const stems = g.map(stem);
    for (const s of stems) map.set(s, [...new Set([...(map.get(s) ?? []), ...stems.filter((x) => x !== s)])]);
  }
  return map;
}

const AUXILIARY = /^(?:is|are|was|were|has|have|had|did|does|do|will|would|can|could|should|shall|may|might|any|isn't|aren't|wasn't|didn't|hasn't|haven't)\b/;
const STATUS = /\b(?:where (?:do|does|did|is|are) .*\bstand|status|the latest|state of play|progress|how (?:is|are) .* going|any news|update on|what is happening with)\b/;
const WHO_IS = /^(?:so |and |but |ok )?who (?:is|are|was|were)(?: even| exactly| actually)? (?:this |that )?(.{2,60})$|^(?:so |and |but |ok )?who (.{2,60}?) (?:is|are|was|were)$/;
const NOT_A_NAME = /'s\b|\b(?:of|in|at|for|to|with|on|behind|ahead|the favourite|favourite|going|playing|running|leading|replacing|in charge|responsible)\b/;
const WHAT_SAID = /\bwhat (?:did|does|do|has|have|is|was|are|were) (.+?) (?:say|said|saying|tell|told|think|thinks|reckon|claim|mean|announce)\b/;

/** The question's words, their index terms, and what kind of answer it wants. */
export function analyseQuestion(question: string, vocabulary: Vocabulary): AnalysedQuestion {
  const { text } = normaliseQuestion(question);
  const lower = text.toLowerCase();
  const kind = questionKind(lower);
  const terms = termsOf(text, vocabulary);
  const subject = new Set<string>();
  const who = WHO_IS.exec(lower);
  const subjectText = kind === "whois" ? (who?.[1] ?? who?.[2]) : kind === "said" ? WHAT_SAID.exec(lower)?.[1] : undefined;
  if (subjectText) {
    for (const t of termsOf(subjectText, vocabulary)) for (const v of t.variants) if (v.weight >= FAMILY_WEIGHT) subject.add(v.term);
  }
  return { text, terms, kind, subject };
}

function questionKind(q: string): QuestionKind {
  const who = WHO_IS.exec(q);
  const name = who?.[1] ?? who?.[2];
  if (name && name.split(" ").length <= 4 && !NOT_A_NAME.test(name)) return "whois";
  if (WHAT_SAID.test(q)) return "said";
  if (STATUS.test(q)) return "status";
  if (AUXILIARY.test(q.replace(/^(?:so|and|but|ok|also|wait) /, ""))) return "yesno";
  return "other";
}

/** Content words of a text as query terms: each with its spelling correction, family and synonyms. */
export function termsOf(text: string, vocabulary: Vocabulary): QueryTerm[] {
  return topicWords(text).map(({ word, stem: s }) => queryTerm(word, s, vocabulary));
}

/**
 * What a text is about, word by word, once each: no stopwords, no chat framing ("anyone know",
 * "latest"), no speech verbs. `stem` is the form the indexes compare; `word` the member's own.
 */
export function topicWords(text: string): { word: string; stem: string }[] {
  const out: { word: string; stem: string }[] = [];
  const seen = new Set<string>();
  for (const w of words(text)) {
    if (isStopword(w) || FRAMING.has(w) || SPEECH.has(w)) continue;
    const s = stem(w);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push({ word: w, stem: s });
  }
  return out;
}

/** One spelling for the alternate spellings of a name ("zelensky", "zelenskyy" -> "zelenskiy"), so that they count as one topic. */
export function spellingKey(s: string): string {
  return spellingsOf.get(s)?.reduce((a, b) => (b < a ? b : a), s) ?? s;
}

function queryTerm(word: string, s: string, vocabulary: Vocabulary): QueryTerm {
  const variants = new Map<string, number>();
  const put = (term: string, weight: number) => {
    if ((variants.get(term) ?? 0) < weight) variants.set(term, weight);
  };
  let correctedTo: string | null = null;
  put(s, 1);
  const inCoverage = vocabulary.documentFrequency(s) > 0;
  for (const alt of spellingsOf.get(s) ?? []) {
    if (vocabulary.documentFrequency(alt) === 0) continue;
    put(alt, 1);
    if (!inCoverage && correctedTo === null) correctedTo = vocabulary.surfaceOf(alt);
  }
  if (!inCoverage && correctedTo === null) {
    const fix = correction(s, vocabulary);
    if (fix) {
      put(fix, 1);
      correctedTo = vocabulary.surfaceOf(fix);
    }
  }
  for (const base of [...variants.keys()]) {
    for (const f of [...family(base), ...(demonymsOf.get(base) ?? [])]) if (vocabulary.documentFrequency(f) > 0) put(f, FAMILY_WEIGHT);
    for (const syn of synonymsOf.get(base) ?? []) if (vocabulary.documentFrequency(syn) > 0) put(syn, SYNONYM_WEIGHT);
  }
  return { word, correctedTo, fromContext: false, weight: 1, variants: [...variants].map(([term, weight]) => ({ term, weight })) };
}

/**
 * The coverage's own spelling of a word it does not hold: the most frequent index term within one
 * edit (two for words of seven letters or more). Short words are left alone: at four letters one
 * edit reaches too many real words.
 */
function correction(s: string, vocabulary: Vocabulary): string | null {
  if (s.length < 4 || /\d/.test(s)) return null;
  const max = s.length >= 7 ? 2 : 1;
  const candidates = vocabulary.similarTerms(s, max);
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => a.distance - b.distance || b.df - a.df);
  return candidates[0]!.term;
}

/**
 * Derived forms the light stemmer keeps apart: Europe/European, Russia/Russian, Ukraine/Ukrainian,
 * agree/agreement, negotiate/negotiation, propose/proposal (and back). Only forms the coverage
 * holds are used.
 */
export function family(s: string): string[] {
  const out = new Set<string>();
  const noE = s.replace(/e$/, "");
  const noA = s.replace(/a$/, "");
  const noY = s.replace(/y$/, "i");
  out.add(`${s}n`).add(`${s}an`).add(`${s}ian`).add(`${noA}ian`).add(`${noE}ean`).add(`${noE}ian`).add(`${noY}an`).add(`${noA}ese`).add(`${s}ese`);
  out.add(`${s}ment`).add(`${noE}ion`).add(`${noE}ation`).add(`${noE}al`);
  const strip = (suffix: string, add: string[], when: RegExp = /$/) => {
    if (s.endsWith(suffix) && s.length - suffix.length >= 4 && when.test(s)) for (const a of add) out.add(s.slice(0, -suffix.length) + a);
  };
  strip("ian", ["", "e", "y", "ia", "a"]);
  strip("ean", ["e"]);
  strip("ese", ["", "a"]);
  strip("n", [""]);
  strip("ment", [""]);
  strip("ation", ["e", ""]);
  strip("ion", ["e", ""], /[ts]ion$/);
  strip("al", ["e", ""]);
  out.delete(s);
  return [...out];
}
