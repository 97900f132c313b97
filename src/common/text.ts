/**
 * Small text helpers every face and the articles edge share, so that one-line titles, cuts with
 * "…" and plurals read the same everywhere (five local copies had drifted apart).
 */

const ELLIPSIS = "…";

/** Whitespace runs as one space, trimmed: titles, outlets and questions shown on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** "1 article", "3 articles" (`many` for irregular plurals). */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/**
 * Cut at a word boundary to at most `max` characters including the "…" that marks the cut; never
 * half a surrogate pair. Stored titles are cut this way, so changing it changes content hashes.
 */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return ELLIPSIS.slice(0, max);
  const room = s.slice(0, max - 1);
  const space = room.lastIndexOf(" ");
  // A single enormous word has no boundary; cutting it mid-word beats returning it whole.
  const cut = space > max / 3 ? room.slice(0, space) : safeSlice(room, room.length);
  return `${cut.replace(/[\s,;:–—-]+$/, "")}${ELLIPSIS}`;
}

/** On one line and at most `max` characters, cut anywhere: log fields and button labels. */
export function clip(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length > max ? `${safeSlice(flat, max - 1)}${ELLIPSIS}` : flat;
}

/** The first `n` UTF-16 units, one fewer when the cut would split a surrogate pair. */
export function safeSlice(text: string, n: number): string {
  const s = text.slice(0, n);
  return /[\uD800-\uDBFF]$/.test(s) ? s.slice(0, -1) : s;
}

export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
