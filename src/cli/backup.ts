import { Command } from "commander";
import path from "node:path";
import { loadCoreConfig } from "../config.ts";
import { backupDataDir } from "../ops/backup.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run backup --")
  .description(
    "Back up the store into a new folder while the bot keeps running: SQLite's online backup of store.db,\n" +
      "plus index snapshots matching it exactly, so that a restore starts without rebuilding anything.",
  )
  .argument("<dest>", "a new (or empty) folder for the backup")
  .option("--data-dir <dir>", "the store to back up (default: $DATA_DIR, else data/)")
  .option("--json", "print the backup's manifest as JSON on stdout")
  .addHelpText("after", "\nRestore with: npm run restore-backup -- DEST --data-dir NEW_DIR   (then npm run doctor -- --data-dir NEW_DIR)\nExit code: 0 when the backup is complete, 2 when it could not be made (nothing is left at DEST then).");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const { dataDir } = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  const dest = path.resolve(program.args[0]!);
  const m = await backupDataDir(dataDir, dest, (message) => process.stderr.write(`${message}\n`));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ dest, ...m }, null, 2)}\n`);
    return;
  }
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  process.stdout.write(
    `Backed up ${m.articles} article(s) (generation ${m.generation}) from ${dataDir} to ${dest} in ${(m.ms / 1000).toFixed(1)} s: ` +
      `store ${mb(m.storeBytes)}, indexes ${m.indexes === "included" ? mb(m.indexBytes) : "none (a restore rebuilds them)"}.\n` +
      `Restore with: npm run restore-backup -- ${dest} --data-dir NEW_DIR\n`,
  );
});
