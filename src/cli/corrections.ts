import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { loadEnv, run } from "./common.ts";
import { wholeNumber } from "../common/options.ts";

const program = new Command("npm run corrections --")
  .description("Articles corrected lately (replaced by a new version: same id or URL, or the same file nearly whole), paragraph by paragraph, with the earlier wording.")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--days <n>", "look back this many days (default 7; as far as REVISION_RETENTION_DAYS keeps earlier versions)", wholeNumber(1, 3650), 7)
  .option("--article <id>", "one article's corrections only")
  .option("--json", "print the corrections as JSON on stdout");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; days: number; article?: string; json?: boolean }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    const list = lib.corrections({ days: opts.days, limit: 500, ...(opts.article ? { articleId: opts.article } : {}) });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.length === 0) {
      process.stdout.write(`No corrections in the last ${opts.days} day(s).\n`);
      return;
    }
    for (const c of list) {
      const lines = [`${c.at.slice(0, 16).replace("T", " ")}  ${c.title} (${c.articleId}${c.previousId ? `, was ${c.previousId}` : ""}; earlier version: revision ${c.revision})`];
      if (c.retitled) lines.push(`  headline was: ${c.retitled.before}`);
      for (const x of c.changed) lines.push(`  ¶${x.now} reworded (was ¶${x.was}):`, `    before: ${x.before}`, `    after:  ${x.after}`);
      for (const x of c.added) lines.push(`  ¶${x.now} added: ${x.text}`);
      for (const x of c.removed) lines.push(`  ¶${x.was} removed: ${x.text}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    }
  } finally {
    await lib.close();
  }
});
