import type { SourceFile } from "../articles/types.ts";
import { MAX_FILE_BYTES } from "../articles/limits.ts";

/** Largest part handed to ingest: well under the per-file limit. */
const PART_BYTES = Math.floor(MAX_FILE_BYTES / 2);

/**
 * Article records as JSONL source files for `Library.ingest`, split into parts that stay under the
 * ingest limit. The records are passed through unchanged, so the parser sees what the dataset holds.
 */
export function jsonlSourceFiles(records: readonly Record<string, unknown>[], name: string): SourceFile[] {
  const encoder = new TextEncoder();
  const parts: string[][] = [[]];
  let size = 0;
  for (const r of records) {
    const line = JSON.stringify(r);
    const bytes = Buffer.byteLength(line) + 1;
    if (size + bytes > PART_BYTES && parts[parts.length - 1]!.length > 0) {
      parts.push([]);
      size = 0;
    }
    parts[parts.length - 1]!.push(line);
    size += bytes;
  }
  if (parts.length === 1 && parts[0]!.length === 0) return [];
  return parts.map((lines, i) => ({
    name: parts.length === 1 ? name : `${name.replace(/\.jsonl$/i, "")}.part${i + 1}.jsonl`,
    bytes: encoder.encode(`${lines.join("\n")}\n`),
  }));
}
