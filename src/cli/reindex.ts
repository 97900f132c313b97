import { Command } from "commander";
import { loadCoreConfig, type CoreConfig } from "../config.ts";
import { createEmbeddingProvider } from "../index/embeddings.ts";
import { reindex } from "../ingest/reindex.ts";
import { openLibrary } from "../library.ts";
import { withWriterLock } from "../ops/lock.ts";
import { Store } from "../store/store.ts";
import { loadEnv, run } from "./common.ts";
import { progressReporter } from "./progress.ts";

const program = new Command("npm run reindex --")
  .description("Re-embed every stored article with the configured embedding model (EMBEDDINGS in .env) and rebuild the indexes. Needed after changing the model.")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string }>();
  const config = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  await withWriterLock(config.dataDir, "npm run reindex", () => reembed(config));
});

async function reembed(config: CoreConfig): Promise<void> {
  const store = Store.open(config.dataDir);
  const provider = await createEmbeddingProvider(config.embeddings);
  const progress = progressReporter("Re-embedding");
  try {
    const result = await reindex(config.dataDir, store, provider, (p) => progress.update({ ...p }));
    progress.done();
    store.close();
    // Opening rebuilds the vector index from the new vectors.
    const lib = await openLibrary({ dataDir: config.dataDir, provider });
    await lib.close();
    process.stdout.write(`Re-indexed ${result.sentences} sentences with ${provider.id} (${result.embedded} newly embedded, the rest from cache).\n`);
  } finally {
    store.close();
    await provider.close();
  }
}
