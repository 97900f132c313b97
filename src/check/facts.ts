import { canonicalAliases, isStopword, stem } from "../index/terms.ts";
import { family } from "../retrieval/query.ts";

/**
 * The checkable facts of a sentence: numbers, dates, names and negations, each with its character
 * range and a normalised value that two wordings of the same fact share ("28" and "twenty-eight",
 * "76%" and "76 per cent", "Russia" and "Russian"). Claims and evidence sentences are read alike.
 */
export type FactKind = "number" | "date" | "name" | "negation";

export interface Token {
  text: string;
  start: number;
  end: number;
  /** Lower-cased, aliases joined ("U.S." -> "usa"), stemmed: what two wordings share. */
  norm: string;
}

export interface Fact {
  kind: FactKind;
  start: number;
  end: number;
  /** Tokens [first, last] of the sentence it spans. */
  first: number;
  last: number;
  /**
   * number: value and unit ("28", "76|%", "1130000000|$"); date: parts ("month:dec", "year:2004",
   * "weekday:wed", "day:4"); name: its words' forms; negation: the word it negates.
   */
  values: string[];
}

const TOKEN = /[\p{Lu}](?:\.[\p{Lu}])+\.?|[$£€]?\d+(?:[.,]\d+)*(?:%|bn|m|tn|k)?(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const aliased = canonicalAliases(raw).trim().toLowerCase();
    const lower = aliased.replace(/’/g, "'").replace(/'s$/, "");
    out.push({ text: raw, start: m.index, end: m.index + raw.length, norm: /^[\p{L}']+$/u.test(lower) ? stem(lower) : lower });
  }
  return out;
}

const UNITS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 };
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, m: 1e6, bn: 1e9, tn: 1e12, k: 1e3 };
/** "11th", "fourth": ordinals compare with ordinals only. */
const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/i;
const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = /^(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/i;
const WEEKDAY = /^(mon|tues|wednes|thurs|fri|satur|sun)day$/i;
const QUANTIFIERS = new Set(["all", "every", "only", "always", "entire"]);
const NEGATION = new Set(["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"]);
/** Between a negation and the word it negates: "not yet been found", "never once". */
const NEGATION_FILLER = new Set(["yet", "ever", "be", "been", "being", "have", "has", "had", "a", "an", "the", "any", "all", "once", "so", "too", "to", "only", "even", "really", "also"]);
/** Inside a name: "Bank of England", "Leonardo da Vinci". */
const NAME_JOINERS = new Set(["of", "de", "da", "van", "von", "al", "bin", "le", "la", "du"]);
/** Capitalised, but not names: pronouns, the calendar's words are dates, and titles of address. */
const NOT_NAMES = new Set(["i", "mr", "mrs", "ms", "dr", "sir", "president", "prime", "minister", "chancellor", "secretary", "spokesman", "spokeswoman", "chief", "senior", "aide", "envoy"]);

function isNegation(t: Token): boolean {
  const w = t.text.toLowerCase().replace(/’/g, "'");
  return NEGATION.has(w) || w.endsWith("n't");
}

function numberWord(w: string): number | null {
  const parts = w.toLowerCase().split("-");
  if (parts.length === 2 && TENS[parts[0]!] !== undefined && UNITS[parts[1]!] !== undefined && UNITS[parts[1]!]! < 10) return TENS[parts[0]!]! + UNITS[parts[1]!]!;
  if (parts.length !== 1) return null;
  return UNITS[parts[0]!] ?? TENS[parts[0]!] ?? (parts[0] === "dozen" ? 12 : null);
}

function isYear(t: Token): boolean {
  return /^(1[89]|20)\d\d$/.test(t.text);
}

const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.text);

/**
 * Facts of a sentence. `knownNames` are words (normalised) the coverage writes capitalised inside a
 * sentence: a capitalised first word counts as a name only then ("Peskov said" yes, "Several" no).
 */
export function factsOf(text: string, tokens: Token[], knownNames: ReadonlySet<string> = new Set()): Fact[] {
  const facts: Fact[] = [];
  const taken = new Set<number>();
  const add = (kind: FactKind, first: number, last: number, values: string[]) => {
    facts.push({ kind, first, last, start: tokens[first]!.start, end: tokens[last]!.end, values });
    for (let k = first; k <= last; k++) taken.add(k);
  };
  // Dates first: a year is a date, not a number.
  for (let i = 0; i < tokens.length; i++) {
    if (taken.has(i)) continue;
    const t = tokens[i]!;
    const isMonth = MONTH.test(t.text) && isCapitalised(t) && !(t.text === "May" && i > 0 && !isYear(tokens[i + 1] ?? t) && !/^\d{1,2}$/.test(tokens[i - 1]?.text ?? "") && !/^\d{1,2}$/.test(tokens[i + 1]?.text ?? ""));
    if (!isMonth && !WEEKDAY.test(t.text) && !isYear(t)) continue;
    let first = i;
    let last = i;
    const values: string[] = [];
    const part = (k: number): boolean => {
      const x = tokens[k];
      if (!x || taken.has(k)) return false;
      if (MONTH.test(x.text) && isCapitalised(x)) values.push(`month:${MONTHS.find((m) => x.text.toLowerCase().startsWith(m))}`);
      else if (WEEKDAY.test(x.text)) values.push(`weekday:${x.text.toLowerCase().slice(0, 3)}`);
      else if (isYear(x)) values.push(`year:${x.text}`);
      else if (/^\d{1,2}(?:st|nd|rd|th)?$/.test(x.text) && Number.parseInt(x.text, 10) <= 31) values.push(`day:${Number.parseInt(x.text, 10)}`);
      else return false;
      return true;
    };
    part(i);
    // "Wednesday 4 December 2004", "December 4, 2004", "4 December".
    while (part(last + 1)) last++;
    while (first > 0 && /^\d{1,2}(?:st|nd|rd|th)?$/.test(tokens[first - 1]!.text) && part(first - 1)) first--;
    add("date", first, last, values);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (taken.has(i)) continue;
    const t = tokens[i]!;
    const ordinal = ORDINAL.exec(t.text) ?? (ORDINALS.includes(t.text.toLowerCase()) ? [t.text, String(ORDINALS.indexOf(t.text.toLowerCase()) + 1)] : null);
    if (ordinal) {
      add("number", i, i, [`${Number(ordinal[1])}|th`]);
      continue;
    }
    const digits = /^([$£€]?)(\d+(?:[.,]\d+)*)(%|bn|m|tn|k)?$/.exec(t.text);
    const word = digits ? null : numberWord(t.text);
    if (!digits && word === null) continue;
    let value = digits ? Number(digits[2]!.replace(/,(?=\d{3}\b)/g, "")) : word!;
    if (!Number.isFinite(value)) continue;
    let currency = digits?.[1] ?? "";
    let suffix = digits?.[3] ?? "";
    let last = i;
    // "twenty-eight" is two tokens.
    const unitAfter = word !== null && word >= 20 && text.slice(t.end, tokens[i + 1]?.start) === "-" ? numberWord(tokens[i + 1]!.text) : null;
    if (unitAfter !== null && unitAfter < 10) value += unitAfter, last++;
    if (suffix && suffix !== "%") value *= SCALES[suffix]!;
    const next = (k: number) => tokens[k]?.text.toLowerCase() ?? "";
    while (SCALES[next(last + 1)] !== undefined && next(last + 1).length > 2) value *= SCALES[next(++last)]!;
    if (next(last + 1) === "per" && next(last + 2) === "cent") last += 2, (suffix = "%");
    else if (next(last + 1) === "percent") last++, (suffix = "%");
    if (!currency && /^(?:dollars?|pounds?|euros?)$/.test(next(last + 1))) currency = next(++last)[0] === "d" ? "$" : next(last)[0] === "p" ? "£" : "€";
    const unit = suffix === "%" ? "%" : currency;
    add("number", i, last, [`${Math.round(value * 1000) / 1000}${unit ? `|${unit}` : ""}`]);
  }
  for (let i = 0; i < tokens.length; i++) {
    // "all of the proposals": a claim of everything is not stated by a sentence about some.
    const q = tokens[i]!.text.toLowerCase();
    if (!taken.has(i) && QUANTIFIERS.has(q)) add("number", i, i, [`q:${q === "every" ? "all" : q}`]);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (taken.has(i) || !isNegation(tokens[i]!)) continue;
    let k = i + 1;
    while (tokens[k] && (NEGATION_FILLER.has(tokens[k]!.text.toLowerCase()) || isNegation(tokens[k]!))) k++;
    const scope = tokens[k];
    if (!scope || isStopword(scope.text.toLowerCase())) {
      add("negation", i, i, []);
      continue;
    }
    facts.push({ kind: "negation", first: i, last: k, start: tokens[i]!.start, end: scope.end, values: [scope.norm] });
    taken.add(i);
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (taken.has(i) || !isCapitalised(t) || NOT_NAMES.has(t.text.toLowerCase()) || (isStopword(t.text.toLowerCase()) && t.norm !== "usa" && t.norm !== "uk")) continue;
    let last = i;
    while (true) {
      const n = tokens[last + 1];
      const after = tokens[last + 2];
      if (n && !taken.has(last + 1) && isCapitalised(n) && !NOT_NAMES.has(n.text.toLowerCase()) && adjacent(text, tokens[last]!, n)) last++;
      else if (n && after && NAME_JOINERS.has(n.text) && isCapitalised(after) && !taken.has(last + 2)) last += 2;
      else break;
    }
    const atStart = i === 0 || /[.!?:“"‘]\s*$/.test(text.slice(tokens[i - 1]!.end, t.start)) || /[“"‘]\s*$/.test(text.slice(0, t.start));
    if (atStart && last === i && !/'s$|’s$/.test(t.text) && !/^\p{Lu}{2,}$/u.test(t.text) && !knownNames.has(t.norm)) continue;
    const words = tokens.slice(i, last + 1).filter((x) => !NAME_JOINERS.has(x.text));
    add("name", i, last, words.map((x) => x.norm));
  }
  return facts.sort((a, b) => a.start - b.start);
}

/** Two tokens of one name stand apart by a space only ("Steve Witkoff", not "Moscow. Putin"). */
function adjacent(text: string, a: Token, b: Token): boolean {
  return /^[ \u00a0]$/.test(text.slice(a.end, b.start));
}

/** Normalised words written capitalised inside sentences of a text: the names it uses. */
export function namesWritten(text: string): Set<string> {
  const tokens = tokenize(text);
  const out = new Set<string>();
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isCapitalised(t) && !/[.!?:“"‘]\s*$/.test(text.slice(tokens[i - 1]!.end, t.start))) out.add(t.norm);
  }
  return out;
}

/** The forms a name's word takes: "russia", "russian", and the coverage's aliases. */
export function nameForms(norm: string): Set<string> {
  return new Set([norm, ...family(norm)]);
}
