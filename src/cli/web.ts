import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { onShutdownSignals } from "../ops/signals.ts";
import { wholeNumber } from "../common/options.ts";
import { loadWebConfig } from "../web/config.ts";
import { startWebServer } from "../web/server.ts";
import { loadEnv, run, stderrSay } from "./common.ts";

const DEFAULT_PORT = 8787;
/** The link printed for the person who started the server: they can read the store anyway. */
const LINK_HOURS = 12;

const program = new Command("npm run web --")
  .description(
    "Serve the staff verification pages (answers by receipt id, articles with numbered paragraphs, search, unanswered topics, " +
      "corrections, feeds) on WEB_HOST (default 127.0.0.1). Pages open with Authorization: Bearer $WEB_TOKEN, a signed link " +
      "(printed here; /web in Discord), or, for article pages, WEB_PUBLIC_ARTICLES=true.",
  )
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--port <n>", `listen on this port (default: $WEB_PORT, else ${DEFAULT_PORT}; 0 picks a free one)`, wholeNumber(0, 65535))
  .addHelpText("after", "\nPrints the URL it serves on stdout, then serves until SIGINT/SIGTERM. Exit code 2 on a setup error (port in use, bad setting).");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; port?: number }>();
  const config = loadWebConfig();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  const shutdown = onShutdownSignals(stderrSay);
  try {
    const web = await startWebServer({ library: lib, config, port: opts.port ?? config.port ?? DEFAULT_PORT, host: config.host });
    process.stdout.write(`${web.url}\n`);
    const { exp, sig } = lib.signWebPath("/", new Date(Date.now() + LINK_HOURS * 3_600_000));
    stderrSay.info(`Serving the staff pages of ${lib.dataDir} at ${web.url}. For the next ${LINK_HOURS} hours this link opens them: ${web.url}/?exp=${exp}&sig=${sig}`);
    await shutdown.stopped;
    await web.close();
  } finally {
    shutdown.dispose();
    await lib.close();
  }
});
