import { Command } from "commander";
import { AttachmentError, fetchPage, MAX_FILE_BYTES, openLibrary, readSources, type InputError, type SourceFile } from "../library.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { onShutdownSignals } from "../ops/signals.ts";
import { loadCoreConfig } from "../config.ts";
import { loadEnv, run, stderrSay } from "./common.ts";
import { progressReporter } from "../common/progress.ts";
import { renderIngestSummary } from "./render.ts";

const program = new Command("npm run ingest --")
  .description("Add or replace articles: .txt (plain or newswire), .md, .html, .json and .jsonl files, folders of them, or links to article pages.")
  .argument("<paths...>", "files, folders and https:// links of public article pages (the same link again updates its article)")
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
  const config = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  const links = program.args.filter((a) => /^https?:\/\//i.test(a));
  const { files, errors } = readSources(program.args.filter((a) => !links.includes(a)));
  const fetched = await fetchLinks(links, config.fetchAllowPrivateHosts);
  files.push(...fetched.files);
  errors.push(...fetched.errors);
  const lock = acquireWriterLock(config.dataDir, "npm run ingest");
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

/** Article pages by their links, each refusal (private address, not a page, too big, too slow) an input error. */
async function fetchLinks(links: string[], allowPrivateHosts: boolean): Promise<{ files: SourceFile[]; errors: InputError[] }> {
  const files: SourceFile[] = [];
  const errors: InputError[] = [];
  for (const link of links) {
    stderrSay.info(`Fetching ${link} ...`);
    try {
      files.push(await fetchPage(link, { maxBytes: MAX_FILE_BYTES, timeoutMs: 30_000, allowPrivateHosts }));
    } catch (error) {
      if (!(error instanceof AttachmentError)) throw error;
      errors.push({ where: link, reason: error.message });
    }
  }
  return { files, errors };
}
