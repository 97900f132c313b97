/**
 * Bytes -> text, or a reason a moderator can act on. Quotes are reproduced verbatim, so text is never
 * guessed: bytes that are not valid in their encoding are an error, not replacement characters.
 */

export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

export interface DecodeOptions {
  /** HTML may declare a legacy charset in a <meta> tag; honour it when the bytes are not UTF-8. */
  html?: boolean;
}

/** File signatures worth naming, so the reason says what the file really is. */
const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: "a PDF document" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive (Word .docx, .odt and .epub files are ZIPs too)" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "an old Word or Excel document" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: "an RTF document" },
];

const EXPORT_HINT = "export the article as plain text (.txt), Markdown (.md), HTML (.html) or JSON (.json/.jsonl) and upload that";

export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): Decoded {
  if (bytes.length === 0) {
    return { ok: false, reason: "The file is empty (0 bytes); check the export and upload the file again." };
  }
  for (const sig of SIGNATURES) {
    if (startsWith(bytes, sig.bytes)) return { ok: false, reason: `The file is ${sig.what}, not text; ${EXPORT_HINT}.` };
  }

  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    // Windows tools still write UTF-16 with a byte-order mark; it is unambiguous, so read it.
    const label = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    const text = tryDecode(label, bytes.subarray(2));
    return text === null
      ? { ok: false, reason: "The file says it is UTF-16 but is not valid UTF-16; re-save it as UTF-8 text." }
      : checkControls(text);
  }

  const nulIndex = bytes.indexOf(0);
  if (nulIndex !== -1) {
    if (looksLikeUtf16WithoutBom(bytes)) {
      return { ok: false, reason: "The file looks like UTF-16 text without a byte-order mark; re-save it as UTF-8." };
    }
    return { ok: false, reason: `The file contains binary data (a NUL byte at offset ${nulIndex}), so it is not a text file; ${EXPORT_HINT}.` };
  }

  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  const utf8 = tryDecode("utf-8", body);
  if (utf8 !== null) return checkControls(utf8);

  if (options.html) {
    const declared = declaredCharset(body);
    if (declared && !/^utf-?8$/i.test(declared)) {
      const text = tryDecode(declared, body);
      if (text !== null) return checkControls(text);
    }
  }

  const scan = scanUtf8(body);
  if (scan.invalid * 10 > body.length) {
    return { ok: false, reason: `The file looks binary (${scan.invalid} bytes are not valid UTF-8 text); ${EXPORT_HINT}.` };
  }
  const { line, column } = lineAndColumn(body, scan.firstInvalid);
  return {
    ok: false,
    reason:
      `The file is not valid UTF-8 (first bad byte at line ${line}, column ${column}); it is probably ` +
      `Latin-1 or Windows-1252: re-save it as UTF-8 and upload it again.`,
  };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Unknown label or invalid bytes: both mean "not readable as this encoding".
    return null;
  }
}

/** ASCII text saved as UTF-16 has a NUL in every other byte. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const half = n / 2;
  return (odd > half * 0.4 && even < half * 0.05) || (even > half * 0.4 && odd < half * 0.05);
}

/** `<meta charset=…>` or `content="…; charset=…"` within the first 2 KB, read as ASCII. */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, 2048));
  const m = /<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})/i.exec(head);
  return m?.[1] ?? null;
}

/** Counts invalid UTF-8 sequences and finds the first, in one pass (TextDecoder only says "bad"). */
function scanUtf8(bytes: Uint8Array): { invalid: number; firstInvalid: number } {
  let invalid = 0;
  let firstInvalid = -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    }
    let ok = need > 0;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      i += need + 1;
    } else {
      if (firstInvalid < 0) firstInvalid = i;
      invalid++;
      i++;
    }
  }
  return { invalid, firstInvalid: Math.max(firstInvalid, 0) };
}

function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Valid UTF-8 can still be binary (mostly-ASCII executables, images saved as .txt). Real text has
 * almost no C0 control characters besides tab, newline and carriage return.
 */
function checkControls(text: string): Decoded {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  if (controls > 8 && controls * 20 > text.length) {
    return { ok: false, reason: `The file looks binary (${controls} control characters); ${EXPORT_HINT}.` };
  }
  return { ok: true, text };
}
