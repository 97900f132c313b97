/**
 * What kind of thing a question asks for, and whether a sentence holds one. A sentence that names
 * a number for "how many", a date for "when" or a name for "who" is more likely the answer.
 */
export type AnswerType = "number" | "date" | "person" | "place" | "other";

export function answerType(question: string): AnswerType {
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|far|old|big|large|often)\b|\bwhat (percentage|percent|number|amount)\b/.test(q)) return "number";
  if (/\bwhen\b|\bwhat (year|date|day|month|time|century|decade)\b|\bwhich (year|date|day|month|century)\b/.test(q)) return "date";
  if (/\bwho(m|se)?\b/.test(q)) return "person";
  if (/\bwhere\b|\bwhat (city|country|state|place|region)\b|\bwhich (city|country|state|place|region)\b/.test(q)) return "place";
  return "other";
}

const MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const DATE = new RegExp(`\\b(?:${MONTH}\\b|(?:1[0-9]|20)\\d\\d\\b|\\d{1,2}(?:st|nd|rd|th)? century|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)`, "i");
const NUMBER = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b/i;
/** A capitalised word that is not the first of the sentence: a crude but fast name detector. */
const NAME = /(?<=[\p{Ll},;:)”"’] )\p{Lu}\p{Ll}+/u;

export function hasAnswerType(sentence: string, type: AnswerType): boolean {
  switch (type) {
    case "number":
      return NUMBER.test(sentence);
    case "date":
      return DATE.test(sentence);
    case "person":
    case "place":
      return NAME.test(sentence);
    default:
      return true;
  }
}
