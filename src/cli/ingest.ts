import { Command } from "commander";
import { readSources } from "../library.ts";
import { openLibrary } from "../library.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { onShutdownSignals } from "../ops/signals.ts";
import { loadCoreConfig } from "../config.ts";
import { loadEnv, run, stderrSay } from "./common.ts";
import { progressReporter } from "../common/progress.ts";
import { renderIngestSummary } from "./render.ts";

const program = new Command("npm run ingest --")
  .description("Add or replace articles: .txt (plain or newswire), .md, .html, .json and .jsonl files, or folders of them.")
  .argument("<paths...>", "files and folders to ingest")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the summary as JSON on stdout")
  .addHelpText(
    "after",
    "\nExit code: 0 when every input went in, 1 when some failed (the others are still ingested), 2 on a setup error." +
      "\nOne writer per store: it refuses to run while the bot or another ingest writes to the same data directory." +
      "\nSIGINT/SIGTERM (Ctrl-C) stop it after the chunk being written (stored whole); the rest is listed as not stored.",
  );

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const { files, errors } = readSources(program.args);
  const lock = acquireWriterLock(loadCoreConfig(process.env, { dataDir: opts.dataDir }).dataDir, "npm run ingest");
  const shutdown = onShutdownSignals(stderrSay);
  const lib = await openLibrary({ dataDir: opts.dataDir, stop: shutdown.stop }).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const progress = progressReporter("Ingesting");
  try {
    const summary = await lib.ingest(files, { onProgress: progress.update });
    progress.done();
    summary.failed.unshift(...errors);
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderIngestSummary(summary)}\n`);
    process.exitCode = summary.failed.length > 0 ? 1 : 0;
  } finally {
    await lib.close();
    lock.release();
    shutdown.dispose();
  }
});
