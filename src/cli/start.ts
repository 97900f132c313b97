import { Command } from "commander";
import { openLibrary, seedSampleCoverage } from "../library.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { chat } from "./chat.ts";
import { loadEnv, run } from "./common.ts";
import { progressReporter } from "../common/progress.ts";
import { renderIngestSummary } from "./render.ts";

const program = new Command("npm start --")
  .description(
    "With DISCORD_TOKEN set (in .env or the environment): run the Discord bot (in production run it as\n" +
      "`node --import tsx src/cli/start.ts`, without npm in between, so that signals reach it; see the README).\n" +
      "Without it: a terminal chat over the coverage (questions from a pipe are answered too: echo \"question\" | npm start).\n" +
      "The terminal chat fills a never-used store with the sample coverage in data/articles/ first; the bot does so only with SEED_SAMPLE=true.",
  )
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string }>();
  if (process.env.DISCORD_TOKEN?.trim()) {
    const { runBot } = await import("../discord/main.ts");
    process.exitCode = await runBot({ dataDir: opts.dataDir });
    return;
  }
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    if (lib.stats().generation === 0) {
      // Adding the sample is a write: not while a bot or an ingest writes to the same store.
      const lock = acquireWriterLock(lib.dataDir, "npm start (adding the sample coverage)");
      try {
        const progress = progressReporter("Ingesting");
        const summary = await seedSampleCoverage(lib, { onProgress: progress.update, notice: (m) => process.stderr.write(`${m}\n`) });
        progress.done();
        if (summary) process.stderr.write(`${renderIngestSummary(summary)}\n`);
      } finally {
        lock.release();
      }
    }
    await chat(lib);
  } finally {
    await lib.close();
  }
});
