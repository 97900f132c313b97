import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { chat, ensureCoverage } from "./chat.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm start --")
  .description(
    "With DISCORD_TOKEN set (in .env or the environment): run the Discord bot.\n" +
      "Without it: a terminal chat over the coverage (questions from a pipe are answered too: echo \"question\" | npm start).\n" +
      "An empty store is filled from data/articles/ first.",
  )
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string }>();
  if (process.env.DISCORD_TOKEN?.trim()) {
    const { runBot } = await import("../discord/main.ts");
    await runBot({ dataDir: opts.dataDir });
    return;
  }
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    await ensureCoverage(lib);
    await chat(lib);
  } finally {
    await lib.close();
  }
});
