/**
 * Text as it is stored, quoted and hashed. Every stored string passes through here so that a quote a
 * reader copies from Discord matches the stored text, and the same article always hashes the same.
 */

/**
 * Invisible characters removed outright. Zero-width spaces/joiners, the BOM, word joiner and soft
 * hyphen make two visually equal strings differ, so quotes would silently fail to match. Bidi
 * embedding/override/isolate controls can make a quoted line render in a different order than it
 * is stored (the "Trojan Source" trick), so quotes would not be shown faithfully.
 */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/** C0/C1 control characters other than whitespace: never text, and unsafe to echo into chat. */
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

/**
 * One paragraph (or title, author…) as stored: invisibles and controls removed, every run of
 * whitespace (including newlines and no-break spaces) one space, NFC, trimmed. Idempotent.
 */
export function cleanText(s: string): string {
  return s.replace(INVISIBLE, "").replace(CONTROLS, "").replace(/\s+/g, " ").normalize("NFC").trim();
}

/** cleanText, or undefined when nothing is left. */
export function cleanOptional(s: string | null | undefined): string | undefined {
  if (s === null || s === undefined) return undefined;
  const t = cleanText(s);
  return t === "" ? undefined : t;
}
