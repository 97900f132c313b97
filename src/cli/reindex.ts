import { Command } from "commander";
import { loadCoreConfig } from "../config.ts";
import { openMaintenance } from "../library.ts";
import { withWriterLock } from "../ops/lock.ts";
import { loadEnv, run } from "./common.ts";
import { progressReporter } from "../common/progress.ts";

const program = new Command("npm run reindex --")
  .description("Re-embed every stored article with the configured embedding model (EMBEDDINGS in .env) and rebuild the indexes. Needed after changing the model.")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string }>();
  const config = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  await withWriterLock(config.dataDir, "npm run reindex", () => reembed(config.dataDir));
});

async function reembed(dataDir: string): Promise<void> {
  const store = await openMaintenance({ dataDir });
  const progress = progressReporter("Re-embedding");
  try {
    const result = await store.reembed((p) => progress.update({ ...p }));
    progress.done();
    process.stdout.write(`Re-indexed ${result.sentences} sentences with ${store.modelId} (${result.embedded} newly embedded, the rest from cache).\n`);
  } finally {
    await store.close();
  }
}
