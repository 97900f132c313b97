/**
 * Chat language in, coverage language out: the way members type in a Discord channel ("whats",
 * "u", "w/", "anyone know", "lol", "or nah") rewritten as the plain question the coverage can
 * match. Only the question is rewritten; quotes always come from the stored text.
 */

/** Chat spellings and apostrophe-less contractions, word for word (lower case). */
const SPELLINGS: Record<string, string> = {
  whats: "what is", wats: "what is", wat: "what", wut: "what", wot: "what", whos: "who is", wheres: "where is",
  hows: "how is", whens: "when is", whys: "why is", thats: "that is", theres: "there is", heres: "here is",
  wont: "will not", dont: "do not", cant: "can not", didnt: "did not", doesnt: "does not", isnt: "is not",
  arent: "are not", wasnt: "was not", werent: "were not", havent: "have not", hasnt: "has not", hadnt: "had not",
  wouldnt: "would not", couldnt: "could not", shouldnt: "should not", im: "i am", ive: "i have", youre: "you are",
  theyre: "they are", u: "you", ya: "you", ur: "your", r: "are", abt: "about", bout: "about", bc: "because",
  cuz: "because", coz: "because", cos: "because", thru: "through", ppl: "people", peeps: "people", govt: "government",
  gov: "government", yr: "year", yrs: "years", gonna: "going to", wanna: "want to", gotta: "got to", da: "the",
  dat: "that", dis: "this", n: "and", celeb: "celebrity", celebs: "celebrities", prez: "president", pres: "president",
  mins: "minutes", info: "information", jan: "january", feb: "february", aug: "august", sept: "september",
  oct: "october", nov: "november", dec: "december", tmrw: "tomorrow", tmr: "tomorrow", "2day": "today",
  b4: "before", ppls: "people", msg: "message", msgs: "messages", pic: "picture", pics: "pictures",
};

/**
 * Filler that carries no question: greetings, addressing the bot, hedges and laughter. Phrases
 * first (their words may be content words elsewhere), then single interjections.
 */
const FILLER_PHRASES: RegExp[] = [
  /\b(?:does|do|did)?\s*(?:any ?one|any ?body|some ?one|u guys|you guys|y'?all|anyone here)\s+(?:know|knows|got|have|has)(?:\s+(?:if|whether))?\b/g,
  /\b(?:can|could|will|would)\s+(?:you|someone|anyone|somebody)\s+(?:tell|explain to|remind)\s+(?:me|us)(?:\s+(?:about|if|whether))?\b/g,
  /\b(?:hey|hi|hello|yo|oi|ok|okay)\s+(?:bot|there|guys|all|everyone)\b/g,
  /\b(?:or nah|or not|or what|or no)\b/g,
  /\b(?:quick|genuine|serious|dumb|stupid) question\b/g,
  /\b(?:just )?wondering\b/g,
  /\b(?:i (?:heard|saw|read) (?:that )?)\b/g,
  /\b(?:you know|u know|i mean|any idea|no idea|real talk|wait so|tl;?dr(?: on)?)\b/g,
  /\bwhat'?s up (?:with|w\/)\b/g,
];
const INTERJECTIONS = new Set(
  `hey hi hello yo oi ok okay so um umm uh uhh hmm lol lmao lmfao rofl haha hahaha ngl tbh imo imho fr smh bruh bro dude
  pls plz please thx thanks ty cheers btw idk tho though rn ikr omg wtf jk bot guys wait anyway anyways`.split(/\s+/).filter(Boolean),
);

/** "what's X's deal" asks who X is. */
const WHOSE_DEAL = /\bwhat(?:'s| is) ([\p{L}\p{N}'’ -]+?)(?:'s|’s|s) deal\b/u;

export interface NormalisedQuestion {
  /** The question in plain words: what is embedded, analysed and shown. */
  text: string;
}

/** Rewrites chat language as a plain question (lower case, single spaces, no filler). */
export function normaliseQuestion(question: string): NormalisedQuestion {
  let t = ` ${question.normalize("NFKC").replace(/[’‘]/g, "'").replace(/[“”]/g, '"')} `;
  // Abbreviations keep their case for the tokenizer; chat forms are matched in lower case.
  t = t.replace(/\bw\/o\b/gi, " without ").replace(/\bw\//gi, " with ");
  t = t.replace(/\?+|!+/g, " ");
  // "the us" in chat is the country; "us" alone stays the pronoun.
  t = t.replace(/\bthe us\b/g, "the US").replace(/\bu\.s\.?(?=\s)/gi, "US");
  const lower = t.toLowerCase();
  const deal = WHOSE_DEAL.exec(lower);
  if (deal) t = ` who is ${deal[1]} `;
  for (const re of FILLER_PHRASES) t = t.replace(new RegExp(re.source, "gi"), " ");
  const out: string[] = [];
  for (const token of t.split(/\s+/).filter(Boolean)) {
    const bare = token.toLowerCase().replace(/^[.,;:()"']+|[.,;:()"']+$/g, "");
    if (INTERJECTIONS.has(bare)) continue;
    const spelled = SPELLINGS[bare];
    // Upper-case tokens ("US", "UK") are abbreviations, never chat spellings ("u", "r").
    if (spelled && token !== token.toUpperCase()) out.push(spelled);
    else if (spelled && bare.length > 2) out.push(spelled);
    else out.push(token);
  }
  return { text: out.join(" ").replace(/\s+([,.;:])/g, "$1").trim() };
}
