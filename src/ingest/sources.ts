import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { InputError, SourceFile } from "../articles/types.ts";
import { MAX_FILE_BYTES } from "../articles/limits.ts";
import { READABLE_EXTENSIONS } from "../articles/formats.ts";

/** Extensions picked up when a folder is named; a file named explicitly is always tried. */
const ARTICLE_EXTENSIONS = new Set(READABLE_EXTENSIONS);

/** Reads the named files and the article files in the named folders (recursively, sorted). */
export function readSources(paths: string[]): { files: SourceFile[]; errors: InputError[] } {
  const files: SourceFile[] = [];
  const errors: InputError[] = [];
  const visit = (p: string, named: boolean) => {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      errors.push({ where: p, reason: "does not exist or cannot be read. Check the path." });
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        if (!entry.startsWith(".")) visit(path.join(p, entry), false);
      }
      return;
    }
    if (!named && !ARTICLE_EXTENSIONS.has(path.extname(p).toLowerCase())) return;
    if (stat.size > MAX_FILE_BYTES) {
      errors.push({ where: p, reason: `is ${(stat.size / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_FILE_BYTES / 2 ** 20} MiB per file. Split it (JSONL splits cleanly by lines).` });
      return;
    }
    try {
      files.push({ name: p, bytes: readFileSync(p) });
    } catch (error) {
      errors.push({ where: p, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check its permissions.` });
    }
  };
  for (const p of paths) visit(p, true);
  return { files, errors };
}
