import type { Token } from "./tokens.ts";
import { BODY_DESCRIPTIONS, BODY_WORDS, DETERMINERS, OPENERS, PERSON_DESCRIPTIONS, PLURAL_SOURCES, ROLE_WORDS, SPEAKER_ROLES, TITLES } from "./words.ts";

/** Who a noun phrase names: a person or body by name, or the description of an unnamed source. */
export interface Named {
  /** As the article writes it ("a White House official"), or the name without its titles ("Dmitry Peskov"). */
  text: string;
  /** A person (can be "he" or "she" later), not a body. */
  person: boolean;
}

/** "The NAO report", "the Kremlin statement": the body's own words; plain "report" and "statement" stay descriptions. */
const OWN_DOCUMENTS = new Set(["report", "study", "survey", "statement", "review", "analysis"]);

/** Titles that stay with a lone surname: "Lord Bach". */
const PEERAGE = new Set(["lord", "lady", "baroness", "baron", "earl", "viscount"]);

/** Lower-case words inside a name: "Ursula von der Leyen", "Bank of England". */
export const CONNECTORS = new Set(["of", "de", "da", "der", "den", "van", "von", "al", "bin", "le", "la", "del", "du", "dos"]);

export const isWord = (t: Token | undefined): t is Token => t?.kind === "word";
// "Man-of-the-match" opens with a capital but describes; "Jay-Z" and "Lloyd-Webber" are names.
export const isCapital = (t: Token | undefined): boolean => isWord(t) && /^\p{Lu}/u.test(t.text) && !/-\p{Ll}+-/u.test(t.text);
/** "companies" is the plural of "company", "officials" of "official". */
export const singularOf = (word: string): string => word.replace(/ies$/, "y").replace(/s$/, "");
export const isRole = (t: Token | undefined): boolean => isWord(t) && (SPEAKER_ROLES.has(t.lower) || SPEAKER_ROLES.has(singularOf(t.lower)));
const isTitle = (t: Token) => TITLES.has(t.lower);
const possessive = (t: Token) => /'s$/.test(t.lower);

/**
 * The name a run of words gives, without titles and descriptions ("U.S. President Donald Trump" ->
 * "Donald Trump", "Mr Gref" -> "Gref"): the capitalised words after the last role word, or the
 * trailing capitalised words. Null when the run names nobody.
 */
export function nameIn(tokens: readonly Token[], text: string): { name: string; titled: boolean; roles: string[] } | null {
  const end = tokens.length;
  if (!isCapital(tokens[end - 1])) return null;
  let start = end;
  const inName = (t: Token | undefined) => isCapital(t) || (t !== undefined && t.lower !== "of" && CONNECTORS.has(t.lower));
  while (start > 0 && inName(tokens[start - 1]) && !possessive(tokens[start - 1]!) && !(isRole(tokens[start - 1]) && start < end)) start--;
  while (start < end && !isCapital(tokens[start])) start++;
  const roles = tokens.slice(0, start).filter(isRole).map((t) => t.lower.replace(/s$/, ""));
  // "Lord Bach" is a peer's name; "Sir John Bourn" is John Bourn.
  if (end - start === 1 && PEERAGE.has(tokens[start - 1]?.lower ?? "")) return { name: text.slice(tokens[start - 1]!.start, tokens[start]!.end), titled: true, roles };
  let titled = false;
  while (start < end && DETERMINERS.has(tokens[start]!.lower)) start++;
  while (start < end && (isTitle(tokens[start]!) || isRole(tokens[start]))) {
    titled = true;
    start++;
  }
  if (start >= end) return null;
  // "Bishop of Durham": one capitalised word after "of" completes the role; it is not a name.
  if (end - start === 1 && tokens[start - 1]?.lower === "of") return null;
  return { name: text.slice(tokens[start]!.start, tokens[end - 1]!.end), titled, roles };
}

const isPersonRole = (role: string) => ROLE_WORDS.has(role) || PERSON_DESCRIPTIONS.has(role);

/** The capitalised run ending before token `j` is followed by a role and a name ("Gloucester director Nigel Melville"). */
function qualifiesRole(tokens: readonly Token[], j: number): boolean {
  let k = j;
  while (k < tokens.length && isWord(tokens[k]) && !isCapital(tokens[k]) && k - j < 4) {
    if (isRole(tokens[k]) && isCapital(tokens[k + 1])) return true;
    k++;
  }
  return false;
}

/** A body's name: a word like "Street", "Group" or "Kremlin" in it. */
export function isBodyName(name: string): boolean {
  const words = name.toLowerCase().split(/\s+/);
  return words.some((w) => BODY_WORDS.has(w.replace(/'s$/, "")));
}

/**
 * What a noun phrase before or after a speech verb names. `appositive` is a name given between
 * commas right after it ("The Bishop of Durham, the Rt Rev Dr Tom Wright, said"), used when the
 * phrase itself is only a description.
 */
export function named(np: readonly Token[], text: string, names: PersonNames, appositive?: readonly Token[]): Named | null {
  const words = np.filter(isWord);
  // "The Associated Press agency", "the Mirror newspaper": the body is its name, the noun after it describes it.
  const describedAsBody = words.length >= 2 && !isCapital(words[words.length - 1]) && (BODY_DESCRIPTIONS.has(words[words.length - 1]!.lower) || OWN_DOCUMENTS.has(words[words.length - 1]!.lower)) && isCapital(words[words.length - 2]) && !DETERMINERS.has(words[words.length - 2]!.lower);
  if (describedAsBody) words.pop();
  if (words.length === 0) return null;
  const last = words[words.length - 1]!;
  // "Analysts said": a source, though the sentence opens with it in capitals.
  const found = words.length === 1 && PLURAL_SOURCES.has(last.lower) ? null : nameIn(words, text);
  if (found) {
    const full = names.fullest(found.name);
    const person = !describedAsBody && (names.isPerson(full) || ((found.titled || found.roles.some(isPersonRole)) && !isBodyName(full)));
    if (person) names.noteRoles(full, found.roles);
    // A body keeps its article: "the Kremlin", "the Tories".
    const text = !person && words[0]!.lower === "the" ? `the ${full}` : full;
    return { text, person };
  }
  // Only an apposition that is a name ("the Rt Rev Dr Tom Wright"), not a clause naming someone else ("speaking to ... Paul Adams").
  const plain = appositive?.filter(isWord).filter((w) => isCapital(w) || DETERMINERS.has(w.lower) || isTitle(w) || isRole(w));
  const fromAppositive = appositive && plain!.length === appositive.filter(isWord).length ? nameIn(plain!, text) : null;
  if (fromAppositive && names.isPerson(names.fullest(fromAppositive.name))) {
    const full = names.fullest(fromAppositive.name);
    const roles = words.filter(isRole).map((t) => t.lower.replace(/s$/, ""));
    names.noteRoles(full, roles);
    return { text: full, person: true };
  }
  // A description: "a White House official", "analysts", "the report"; "the Bishop" once named.
  const role = [...words].reverse().find(isRole);
  const known = role && ["the", "our"].includes(words[0]!.lower) ? names.byRole(role.lower.replace(/s$/, "")) : null;
  if (known) return { text: known, person: true };
  const phrase = text.slice(words[0]!.start, last.end);
  // "The report" and "Analysts" open a sentence in capitals; the speaker is "the report", "analysts".
  const lowered = DETERMINERS.has(words[0]!.lower) || words.length === 1 ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
  const singular = role?.lower.replace(/s$/, "") ?? "";
  const person = role === last && role.lower === singular && isPersonRole(singular);
  return { text: lowered, person };
}

/**
 * The people an article names in full, so that "Peskov" in paragraph 9 is "Dmitry Peskov" from
 * paragraph 5. Read from the whole article before any sentence is attributed.
 */
export class PersonNames {
  private readonly full: string[] = [];
  private readonly roles = new Map<string, string>();

  add(tokens: readonly Token[], text: string): void {
    let i = 0;
    while (i < tokens.length) {
      if (!isCapital(tokens[i]) || (i === 0 && OPENERS.has(tokens[i]!.lower))) {
        i++;
        continue;
      }
      let j = i;
      while (j < tokens.length && (isCapital(tokens[j]) || (CONNECTORS.has(tokens[j]!.lower) && (isCapital(tokens[j + 1]) || CONNECTORS.has(tokens[j + 1]?.lower ?? ""))))) j++;
      const run = tokens.slice(i, j);
      // "Real Madrid midfielder David Beckham": the first run qualifies the role, it names nobody.
      const found = qualifiesRole(tokens, j) ? null : nameIn(run, text);
      // A one-word name counts when a person's role stands before it ("Rap star Jay-Z", not "firm Google").
      const role = isRole(tokens[i - 1]) ? tokens[i - 1]!.lower.replace(/s$/, "") : null;
      const whole = found !== null && (found.name.split(/\s+/).length >= 2 || (role !== null && isPersonRole(role)));
      if (found && whole && !isBodyName(found.name) && !this.full.includes(found.name)) this.full.push(found.name);
      // "the BBC's defence correspondent Paul Adams": a later "our correspondent" is Paul Adams.
      if (found && whole && role !== null && isPersonRole(role)) this.noteRoles(found.name, [role]);
      i = Math.max(j, i + 1);
    }
  }

  /**
   * The first full name in the article that ends with this one ("Blair" -> "Tony Blair"); else, for
   * one word, the shortest full name it opens when every other one it opens extends that one
   * ("Virgin" -> "Virgin Radio", beside "Virgin Radio Groove": bodies are shortened from the front;
   * "Virgin Radio" beside "Virgin Atlantic" leaves it as written).
   */
  fullest(name: string): string {
    const last = name.split(/\s+/).pop()!;
    const ending = this.full.find((f) => f.endsWith(` ${last}`) && f.length > name.length);
    if (ending) return ending;
    const opening = last === name ? this.full.filter((f) => f.startsWith(`${name} `)).sort((a, b) => a.length - b.length) : [];
    const shortest = opening[0];
    return shortest && opening.every((f) => f === shortest || f.startsWith(`${shortest} `)) ? shortest : name;
  }

  isPerson(name: string): boolean {
    return this.full.includes(name);
  }

  noteRoles(name: string, roles: readonly string[]): void {
    for (const r of roles) if (!this.roles.has(r)) this.roles.set(r, name);
  }

  byRole(role: string): string | null {
    return this.roles.get(role) ?? null;
  }

  /** People named in a sentence, in order (possessives too: "Jay-Z's hits" still puts Jay-Z in view). */
  mentioned(tokens: readonly Token[], text: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (!isCapital(tokens[i])) continue;
      let j = i;
      while (j < tokens.length && isCapital(tokens[j])) {
        j++;
        if (possessive(tokens[j - 1]!)) break;
      }
      const found = qualifiesRole(tokens, j)
        ? null
        : nameIn(
            tokens.slice(i, j).map((t) => (possessive(t) ? { ...t, text: t.text.slice(0, -2), lower: t.lower.slice(0, -2), end: t.end - 2 } : t)),
            text,
          );
      if (found) {
        const full = this.fullest(found.name);
        if (this.isPerson(full)) out.push(full);
      }
      i = j - 1;
    }
    return out;
  }
}
