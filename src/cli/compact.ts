import { Command } from "commander";
import { loadCoreConfig } from "../config.ts";
import { openMaintenance } from "../library.ts";
import { withWriterLock } from "../ops/lock.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run compact --")
  .description(
    "Free the space of cached vectors that no stored article uses (left by forgotten or replaced articles, or by\n" +
      "another embedding model before a reindex), and give it back to the disk. Re-adding such text later embeds it again.",
  )
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the result as JSON on stdout")
  .addHelpText("after", "\nIt rewrites store.db: the bot must be stopped (one writer per store), and it needs free space about the size of store.db while it runs.");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const { dataDir } = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  const r = await withWriterLock(dataDir, "npm run compact", async () => {
    const store = await openMaintenance({ dataDir, withModel: false });
    try {
      return store.compact();
    } finally {
      await store.close();
    }
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  process.stdout.write(
    `Removed ${r.unusedVectors} cached vector(s) no article uses${r.otherModelVectors ? ` and ${r.otherModelVectors} of another embedding model` : ""}; ` +
      `store ${mb(r.bytesBefore)} -> ${mb(r.bytesAfter)} (${mb(r.bytesBefore - r.bytesAfter)} freed) in ${(r.ms / 1000).toFixed(1)} s.\n`,
  );
});
