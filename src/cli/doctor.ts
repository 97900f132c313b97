import { Command } from "commander";
import { loadCoreConfig } from "../config.ts";
import { openMaintenance, storeExists, type Finding } from "../library.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run doctor --")
  .description("Check that the store, its vectors, the vector index and the lexical index agree.")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--repair", "fix what can be fixed from stored text (embed missing vectors, rebuild the indexes); never deletes articles")
  .addHelpText("after", "\nExit code: 0 when the store is consistent (after --repair: when it is now), 1 when not, 2 on a setup error.");

const say = (line: string) => process.stdout.write(`${line}\n`);
const list = (label: string, findings: Finding[]) => {
  for (const f of findings) say(`- ${label}: ${f.problem}.\n  Fix: ${f.fix}${f.repairable ? "" : " (--repair cannot do this)"}.`);
};

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; repair?: boolean }>();
  const config = loadCoreConfig(process.env, { dataDir: opts.dataDir });
  if (!storeExists(config.dataDir)) {
    say(`No store at ${config.dataDir} (no store.db): nothing has been ingested there. Check --data-dir / DATA_DIR, or run \`npm run ingest -- --data-dir ${config.dataDir} PATH\`.`);
    process.exitCode = 1;
    return;
  }
  // A check only reads (in one read transaction) and runs beside the bot; a repair writes.
  const lock = opts.repair ? acquireWriterLock(config.dataDir, "npm run doctor -- --repair") : null;
  const store = await openMaintenance({ dataDir: config.dataDir });
  try {
    const counts = store.stats();
    say(`Store ${config.dataDir}: ${counts.articles} articles, ${counts.paragraphs} paragraphs, ${counts.sentences} sentences (generation ${counts.generation}).`);
    let findings = store.check();
    const unsaved = store.unsavedIndexes();
    if (unsaved.length > 0) say(`Note: the ${unsaved.join(" and ")} ha${unsaved.length > 1 ? "ve" : "s"} not been saved yet (an ingest stopped before its end, or the files were removed); the next start builds ${unsaved.length > 1 ? "them" : "it"} from the store.`);
    const unused = store.unusedVectors();
    if (unused.count > 0) say(`Note: ${unused.count} cached vector(s) (${(unused.bytes / 2 ** 20).toFixed(1)} MB) are used by no stored article; \`npm run compact\` frees them (with the bot stopped).`);
    list("PROBLEM", findings);
    if (findings.length > 0 && opts.repair && findings.some((f) => f.repairable)) {
      say("Repairing (no article is deleted)...");
      await store.repair(findings, (m) => say(`  ${m}`));
      findings = store.check();
      const after = store.stats();
      say(`Repaired. Store now: ${after.articles} articles, ${after.paragraphs} paragraphs, ${after.sentences} sentences.`);
      list("STILL", findings);
    }
    say(findings.length === 0 ? "Consistent." : `${findings.length} problem(s).${!opts.repair && findings.some((f) => f.repairable) ? " Run with --repair to fix what can be fixed." : ""}`);
    process.exitCode = findings.length === 0 ? 0 : 1;
  } finally {
    await store.close();
    lock?.release();
  }
});
