/**
 * Publication dates as the sources write them -> ISO 8601. Only unambiguous forms are read:
 * "04/12/2024" is 4 December in London and 12 April in New York, so it is not guessed.
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

/** Month number (1-12) for an English month name or abbreviation, with or without a final dot. */
export function monthNumber(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, "")];
}

/** "YYYY-MM-DD" when the day exists in that month and year. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/**
 * A wire dateline gives "Dec 04" without a year: the story is about the most recent 4 December not
 * after the reference date (when it was filed or read). 29 February looks back to a leap year.
 */
export function inferYear(month: number, day: number, reference: Date): string | undefined {
  const refYear = reference.getUTCFullYear();
  const refMonth = reference.getUTCMonth() + 1;
  const refDay = reference.getUTCDate();
  if (!Number.isFinite(refYear)) return undefined;
  let year = month < refMonth || (month === refMonth && day <= refDay) ? refYear : refYear - 1;
  for (let tries = 0; tries < 8; tries++, year--) {
    const iso = isoDate(year, month, day);
    if (iso) return iso;
  }
  return undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
// "Wed, 04 Dec 2024 10:00:00 GMT", "4 December 2024", "December 4, 2024", "Dec. 4 2024 5:00 PM"
const DAY_MONTH_YEAR = /^(?:[A-Za-z]{3,9}\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9}\.?),?\s+(\d{4})(.*)$/;
const MONTH_DAY_YEAR = /^(?:[A-Za-z]{3,9}\.?,?\s+)?([A-Za-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(.*)$/;

/** ISO "YYYY-MM-DD" or date-time for the date forms news sources use; undefined when unreadable. */
export function normalizeDate(input: string): string | undefined {
  const s = input.trim();
  if (s.length === 0 || s.length > 80) return undefined;

  let m = ISO_DATE.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);

  m = ISO_DATE_TIME.exec(s);
  if (m) {
    const date = isoDate(+m[1]!, +m[2]!, +m[3]!);
    const [hh, mm, ss] = [+m[4]!, +m[5]!, m[6] === undefined ? 0 : +m[6]];
    if (!date || hh > 23 || mm > 59 || ss > 60) return undefined;
    // Keep the source's own offset: converting to UTC could move the story to another day.
    let zone = m[8] ?? "";
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    if (zone === "z") zone = "Z";
    return `${date}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${m[7] ?? ""}${zone}`;
  }

  m = SLASH_YMD.exec(s) ?? COMPACT.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);

  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let rest = "";
  m = DAY_MONTH_YEAR.exec(s);
  if (m) {
    [day, month, year, rest] = [+m[1]!, monthNumber(m[2]!), +m[3]!, m[4]!];
  } else {
    m = MONTH_DAY_YEAR.exec(s);
    if (m) [month, day, year, rest] = [monthNumber(m[1]!), +m[2]!, +m[3]!, m[4]!];
  }
  if (month === undefined || day === undefined || year === undefined) return undefined;
  const date = isoDate(year, month, day);
  if (!date) return undefined;
  if (/\d{1,2}:\d{2}/.test(rest)) {
    // With a time and zone (RSS/RFC 2822 style) the instant is known; V8 reads these reliably.
    const ms = Date.parse(s);
    if (Number.isFinite(ms) && /(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\s*$/i.test(rest)) return new Date(ms).toISOString();
  }
  return date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
