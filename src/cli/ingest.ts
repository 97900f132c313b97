import { Command } from "commander";
import { readSources } from "../ingest/sources.ts";
import { openLibrary } from "../library.ts";
import { loadEnv, run } from "./common.ts";
import { progressReporter } from "./progress.ts";
import { renderIngestSummary } from "./render.ts";

const program = new Command("npm run ingest --")
  .description("Add or replace articles: .txt (plain or newswire), .md, .html, .json and .jsonl files, or folders of them.")
  .argument("<paths...>", "files and folders to ingest")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the summary as JSON on stdout")
  .addHelpText("after", "\nExit code: 0 when every input went in, 1 when some failed (the others are still ingested), 2 on a setup error.");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const { files, errors } = readSources(program.args);
  const lib = await openLibrary({ dataDir: opts.dataDir });
  const progress = progressReporter("Ingesting");
  try {
    const summary = await lib.ingest(files, { onProgress: progress.update });
    progress.done();
    summary.failed.unshift(...errors);
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderIngestSummary(summary)}\n`);
    process.exitCode = summary.failed.length > 0 ? 1 : 0;
  } finally {
    await lib.close();
  }
});
