import { Command } from "commander";
import path from "node:path";
import { loadCoreConfig } from "../config.ts";
import { restoreDataDir } from "../ops/backup.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run restore-backup --")
  .description(
    "Restore a backup made by `npm run backup` (or a store file such as the copy in backups/ taken before a\n" +
      "schema upgrade) into a data directory that holds no store yet.",
  )
  .argument("<backup>", "the backup folder (or a store .db file)")
  .option("--data-dir <dir>", "where to restore it (default: $DATA_DIR, else data/); must not hold a store")
  .addHelpText("after", "\nThen: npm run doctor -- --data-dir DIR, and start the bot with DATA_DIR=DIR.\nExit code: 0 when restored, 2 when not (nothing is changed then).");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string }>();
  const { dataDir } = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  const r = restoreDataDir(path.resolve(program.args[0]!), dataDir);
  process.stdout.write(
    `Restored ${r.articles} article(s) (generation ${r.generation}) into ${dataDir}${r.indexes ? " with its index snapshots" : "; the first start builds the indexes"}.\n` +
      `Check it: npm run doctor -- --data-dir ${dataDir}\n`,
  );
});
