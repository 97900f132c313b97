import { QuestionError } from "./errors.ts";

/**
 * Time in answers: what day an answer is "as of", the date range a member can ask within, and a
 * preference for the newest coverage when the question asks where things stand now ("is there a
 * deal yet?", "what's the latest on..."): an archive holds last month's state of a story beside
 * today's, and both share the question's words.
 */

/** A question about the present state of things. */
const ASKS_LATEST = /\b(?:latest|now|currently|current|yet|still|so far|recent|recently|newest|today|tonight|this week|these days|as of|anymore|any more)\b/i;

/** Added to a sentence's score for the newest article among those competing (0 for the oldest, undated ones nothing). */
export const W_RECENT = 0.3;

export function asksForLatest(question: string): boolean {
  return ASKS_LATEST.test(question);
}

/** "2025-12-04" from an ISO date or date-time, else null. */
export function dayOf(published: string | null): string | null {
  return published && /^\d{4}-\d{2}-\d{2}/.test(published) ? published.slice(0, 10) : null;
}

/** Each article's place between the oldest (0) and the newest (1) dated article of a set; undated ones 0. */
export function recencyOf(published: ReadonlyMap<string, string | null>): Map<string, number> {
  const days = [...new Set([...published.values()].map(dayOf).filter((d): d is string => d !== null))].sort();
  const out = new Map<string, number>();
  for (const [id, p] of published) {
    const d = dayOf(p);
    out.set(id, d === null || days.length < 2 ? 0 : days.indexOf(d) / (days.length - 1));
  }
  return out;
}

/** A `since`/`until` value, checked: a real calendar day as YYYY-MM-DD. */
export function checkDay(name: "since" | "until", value: string | undefined): string | null {
  if (value === undefined || value.trim() === "") return null;
  const v = value.trim();
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new QuestionError(`"${value}" is not a day for ${name}: write it as YYYY-MM-DD, e.g. 2025-12-04.`);
  }
  return v;
}

/** " published 2025-01-01 to 2025-03-31": the days a member asked within, for the faces' "searched" line. */
export function describeRange(published: { since: string | null; until: string | null } | null): string {
  if (!published) return "";
  const { since, until } = published;
  return since && until ? ` published ${since} to ${until}` : since ? ` published since ${since}` : until ? ` published until ${until}` : "";
}
