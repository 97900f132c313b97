import { unzipSync } from "fflate";
import { MAX_FILE_BYTES } from "./limits.ts";
import type { InputError, ParseResult } from "./types.ts";

/**
 * A .zip of article files, so a moderator can hand over a folder in one upload. Bounded before any
 * byte is inflated: the entries' declared sizes are checked, and fflate inflates each entry into a
 * buffer of exactly its declared size, so an archive that lies about sizes cannot grow past them
 * (a zip bomb's 1 GB entry is refused by its header, not discovered by inflating it).
 */
export const MAX_ZIP_ENTRIES = 500;
export const MAX_ZIP_TOTAL_BYTES = 64 * 1024 * 1024;

/** Unpacks `bytes` and parses each entry with `parseEntry`; never throws. */
export function parseZip(bytes: Uint8Array, name: string, parseEntry: (entry: { name: string; bytes: Uint8Array }) => ParseResult): ParseResult {
  const errors: InputError[] = [];
  const skipped: string[] = [];
  let count = 0;
  let total = 0;
  let refusal: string | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(entry) {
        if (entry.name.endsWith("/") || /(^|\/)(__MACOSX|\.)/.test(entry.name)) return false;
        if (/\.zip$/i.test(entry.name)) {
          skipped.push(entry.name);
          return false;
        }
        count++;
        total += entry.originalSize;
        if (entry.originalSize > MAX_FILE_BYTES) {
          errors.push({ where: `${name}/${entry.name}`, reason: `The file is ${mib(entry.originalSize)} MiB unpacked; the limit is ${mib(MAX_FILE_BYTES)} MiB per file. Split it into smaller files.` });
          return false;
        }
        if (count > MAX_ZIP_ENTRIES) refusal = `The archive holds more than ${MAX_ZIP_ENTRIES} files; split it into several archives.`;
        else if (total > MAX_ZIP_TOTAL_BYTES) refusal = `The archive unpacks to more than ${mib(MAX_ZIP_TOTAL_BYTES)} MiB; split it into several archives.`;
        return refusal === undefined;
      },
    });
  } catch (error) {
    return { articles: [], errors: [{ where: name, reason: `The archive could not be unpacked (${(error as Error).message}); check that it is a .zip file, and upload it again.` }] };
  }
  if (refusal) return { articles: [], errors: [{ where: name, reason: refusal }] };
  for (const inner of skipped) errors.push({ where: `${name}/${inner}`, reason: "An archive inside an archive is not unpacked; upload it on its own." });
  const result: ParseResult = { articles: [], errors };
  for (const [entry, data] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const parsed = parseEntry({ name: `${name}/${entry}`, bytes: data });
    result.articles.push(...parsed.articles);
    result.errors.push(...parsed.errors);
  }
  if (result.articles.length === 0 && result.errors.length === 0) result.errors.push({ where: name, reason: "The archive holds no files to read." });
  return result;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
