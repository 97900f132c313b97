import { Command } from "commander";
import { loadCoreConfig } from "../config.ts";
import { checkStore, repairStore } from "../doctor/doctor.ts";
import { createEmbeddingProvider } from "../index/embeddings.ts";
import { openLibrary } from "../library.ts";
import { Store } from "../store/store.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run doctor --")
  .description("Check that the store, its vectors, the vector index and the lexical index agree.")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--repair", "fix what can be fixed from stored text (re-embed, rebuild indexes); never deletes articles")
  .addHelpText("after", "\nExit code: 0 when the store is consistent (after --repair: when it is now), 1 when not.");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; repair?: boolean }>();
  const config = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  const provider = await createEmbeddingProvider(config.embeddings);
  const store = Store.open(config.dataDir);
  try {
    const dimension = await provider.dimension();
    let findings = checkStore(config.dataDir, store, provider, dimension);
    const counts = store.counts();
    process.stdout.write(`Store ${config.dataDir}: ${counts.articles} articles, ${counts.paragraphs} paragraphs, ${counts.sentences} sentences.\n`);
    for (const f of findings) process.stdout.write(`- PROBLEM: ${f.problem}.\n  Fix: ${f.fix}.\n`);
    if (findings.length > 0 && opts.repair && findings.some((f) => f.repairable)) {
      process.stdout.write("Repairing...\n");
      await repairStore(config.dataDir, store, provider);
      // Opening rebuilds the dropped indexes from the store, as any start would.
      await (await openLibrary({ dataDir: config.dataDir, provider, warn: () => {} })).close();
      findings = checkStore(config.dataDir, store, provider, dimension);
      for (const f of findings) process.stdout.write(`- STILL: ${f.problem}.\n  Fix: ${f.fix}.\n`);
    }
    process.stdout.write(findings.length === 0 ? "Consistent.\n" : `${findings.length} problem(s).${opts.repair ? "" : " Run with --repair to fix what can be fixed."}\n`);
    process.exitCode = findings.length === 0 ? 0 : 1;
  } finally {
    store.close();
    await provider.close();
  }
});
