import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { loadEnv, run } from "./common.ts";
import { renderAnswer } from "./render.ts";

const program = new Command("npm run ask --")
  .description("Answer one question from the coverage with verbatim quotes and numbered citations.")
  .argument("<question...>", "the question (quote it in the shell)")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the Answer object as JSON on stdout")
  .option("--article <id>", "only search this article")
  .option("--since <day>", "only articles published on or after this day (YYYY-MM-DD)")
  .option("--until <day>", "only articles published on or before this day (YYYY-MM-DD)");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean; article?: string; since?: string; until?: string }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    const answer = await lib.answer(program.args.join(" "), { articleId: opts.article, since: opts.since, until: opts.until });
    const receipt = lib.recordAnswer(answer, { face: "cli" });
    process.stdout.write(opts.json ? `${JSON.stringify({ ...answer, receipt }, null, 2)}\n` : `${renderAnswer(answer, receipt)}\n`);
  } finally {
    await lib.close();
  }
});
