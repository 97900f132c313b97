import { Command, InvalidArgumentError } from "commander";
import { openLibrary, RevisionError } from "../library.ts";
import type { Revision } from "../library-types.ts";
import { loadCoreConfig } from "../config.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { loadEnv, run } from "./common.ts";

const wholeNumber = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number.");
  return Number(value);
};

const program = new Command("npm run restore --")
  .description(
    "Undo a replacement or a forget. Earlier versions of articles (replaced by an ingest, removed by /forget) are kept for " +
      "REVISION_RETENTION_DAYS days (default 30). Without a revision: list them, newest first. With one: put it back.",
  )
  .argument("[revision]", "the revision to put back (its number in the list)", wholeNumber)
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--article <id>", "list only this article's history: its earlier versions and what it replaced")
  .option("--limit <n>", "how many to list (default 25)", wholeNumber)
  .option("--json", "print the list or the result as JSON on stdout")
  .addHelpText(
    "after",
    "\nA restored version takes the place of what replaced it; that is kept as a revision in turn, so a restore can be undone too." +
      "\n\nExamples:\n  npm run restore                 what can be restored\n  npm run restore -- 12           put revision 12 back" +
      "\n\nExit code: 0 when done, 1 when there is no such revision, 2 on a setup error.",
  );

const say = (line: string) => process.stdout.write(`${line}\n`);

const WHY: Record<Revision["reason"], (r: Revision) => string> = {
  replaced: (r) => `replaced by ${r.supersededBy}`,
  forgotten: () => "forgotten",
  reverted: (r) => `reverted to ${r.supersededBy}`,
};

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; article?: string; limit?: number; json?: boolean }>();
  const revision = program.processedArgs[0] as number | undefined;
  // Listing only reads; putting a revision back writes, so not beside the bot or an ingest.
  const lock = revision === undefined ? null : acquireWriterLock(loadCoreConfig(process.env, { dataDir: opts.dataDir }).dataDir, "npm run restore");
  const lib = await openLibrary({ dataDir: opts.dataDir }).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  try {
    if (revision === undefined) {
      const list = lib.revisions(opts.article, opts.limit ?? 25);
      if (opts.json) say(JSON.stringify(list, null, 2));
      else if (list.length === 0) say(`No earlier versions are kept${opts.article ? ` for ${opts.article}` : ""}.`);
      else for (const r of list) say(`${String(r.id).padStart(5)}  ${r.at.slice(0, 16).replace("T", " ")}  "${r.title}" (${r.articleId}, ${r.paragraphs} paragraphs), ${WHY[r.reason](r)}`);
      return;
    }
    const result = await lib.restore(revision);
    if (opts.json) say(JSON.stringify(result, null, 2));
    else if (result.unchanged) say(`"${result.article.title}" (${result.article.id}) is already in the coverage as revision ${revision} has it; nothing changed.`);
    else {
      say(`Restored "${result.article.title}" (${result.article.id}).`);
      for (const r of result.replaced) say(`  It took the place of "${r.title}" (${r.id})${r.revision === null ? "." : `, kept as revision ${r.revision} (undo: npm run restore -- ${r.revision}).`}`);
    }
  } catch (error) {
    if (!(error instanceof RevisionError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await lib.close();
    lock?.release();
  }
});
