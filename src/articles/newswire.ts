/**
 * Wire-service conventions in plain text: the dateline that opens the first paragraph
 * ("MOSCOW/WASHINGTON, Dec 04 (V7N) – The future…") and the desk trailer lines at the end
 * ("END/WD/AJ/", a dangling "Comment:"). Neither is article text: a quote must not start with a
 * dateline or cite a routing code as a paragraph.
 */

import { inferYear, isoDate, monthNumber } from "./dates.ts";

export interface Dateline {
  /** Place and date as written, e.g. "MOSCOW/WASHINGTON, Dec 04". */
  dateline: string;
  /** Agency code from the parentheses, e.g. "V7N", "Reuters", "AP". */
  outlet: string;
  /** ISO date, when the dateline has a date (a year, or a year inferred from the reference date). */
  published?: string;
  /** The paragraph with the dateline removed. */
  rest: string;
}

// Head before "(AGENCY) –": bounded, so the match costs the same on a 10 MB line as on a short one.
const HEAD = /^([^()\n]{2,80}?)\s*\(([^()\n]{1,40})\)\s*[-–—‒―]{1,2}\s*/u;
// Place names: every word capitalised ("NEW YORK", "Rio de Janeiro"); several joined by "/".
const WORD = String.raw`\p{Lu}[\p{L}\p{M}.'’-]*`;
const CONNECTOR = String.raw`(?:de|da|do|del|di|la|le|of|on|am|upon|sur|en)`;
const NAME = String.raw`${WORD}(?: (?:${CONNECTOR} )?${WORD})*`;
const PLACE = new RegExp(String.raw`^${NAME}(?:\s*\/\s*${NAME})*$`, "u");
const REGION = new RegExp(String.raw`^${NAME}$`, "u");
/** Agencies that write mixed-case places without a date ("Paris (AFP) -"). */
const KNOWN_AGENCIES = /^(?:AFP|AP|Reuters|UPI|dpa|DPA|ANSA|EFE|Xinhua|TASS|Bloomberg|PA|Kyodo|Yonhap|IANS|PTI|ANI|CNN|BBC)$/;
const AGENCY = /^[\p{L}\p{N}][\p{L}\p{N} .&'-]*$/u;
// "Dec 04", "Dec. 4", "December 4, 2025", "4 December 2025"
const DATE = /^(?:(\p{L}{3,9}\.?)\s+(\d{1,2})|(\d{1,2})\s+(\p{L}{3,9}\.?))(?:,?\s+(\d{4}))?$/u;

/** The dateline at the start of `paragraph`, or undefined when it does not start with one. */
export function parseDateline(paragraph: string, reference: Date): Dateline | undefined {
  const m = HEAD.exec(paragraph);
  if (!m) return undefined;
  const head = m[1]!.trim();
  const agency = m[2]!.trim();
  if (!AGENCY.test(agency)) return undefined;

  // "PLACE[, Region…][, DATE[, YEAR]]": the date, if any, is the trailing comma-separated part.
  const parts = head.split(",").map((p) => p.trim());
  if (!PLACE.test(parts[0] ?? "")) return undefined;
  let published: string | undefined;
  let dateFound = false;
  for (let take = Math.min(2, parts.length - 1); take >= 1 && !dateFound; take--) {
    const candidate = parts.slice(parts.length - take).join(", ");
    const d = DATE.exec(candidate);
    if (!d) continue;
    const month = monthNumber(d[1] ?? d[4]!);
    const day = Number(d[2] ?? d[3]);
    if (month === undefined) continue;
    dateFound = true;
    published = d[5] ? isoDate(Number(d[5]), month, day) : inferYear(month, day, reference);
    parts.splice(parts.length - take, take);
  }
  // Whatever is neither place nor date must be a region name, or this is not a dateline.
  if (!parts.slice(1).every((p) => REGION.test(p))) return undefined;
  // "The Company (ACME) – …" is prose; a real dateline is in capitals, dated, or from a known agency.
  const shouting = !/\p{Ll}/u.test(parts[0]!);
  if (!shouting && !dateFound && !KNOWN_AGENCIES.test(agency)) return undefined;

  const rest = paragraph.slice(m[0].length).trim();
  return { dateline: head, outlet: agency, ...(published ? { published } : {}), rest };
}

/** Desk routing codes such as "END/WD/AJ/", and end markers such as "-30-" or "###". */
const TRAILER = /^(?:(?:[A-Z0-9]{1,12}\/)+[A-Z0-9]{0,12}|-30-|#{3}|\*{3}|-{2,})$/;
/** A label with nothing after it ("Comment:"): an empty form field left by the export. */
const DANGLING_LABEL = /^\p{L}[\p{L} ]{0,30}:$/u;

/** True for a line at the end of a file that is export debris rather than article text. */
export function isTrailerLine(line: string): boolean {
  const t = line.trim();
  return TRAILER.test(t) || DANGLING_LABEL.test(t);
}
