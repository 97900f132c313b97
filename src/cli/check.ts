import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { loadEnv, run } from "./common.ts";
import { renderClaimCheck } from "./render-check.ts";

const program = new Command("npm run check --")
  .description("Check a statement against the coverage: supported, partly supported, contradicted or not covered, with the evidence quoted verbatim and each number, date, name and negation marked.")
  .argument("<claim...>", "the statement (quote it in the shell)")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", 'print one object on stdout: { claim, verdict, quotes, citations, facts: [{ text, kind, status, coverageSays? }] }')
  .addHelpText("after", "\nVerdicts: supported | partly | contradicted | not_covered. \"not_covered\" only says the coverage does not address the claim, never that it is false.");

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    const checked = await lib.check(program.args.join(" "));
    process.stdout.write(opts.json ? `${JSON.stringify(checked, null, 2)}\n` : `${renderClaimCheck(checked)}\n`);
  } finally {
    await lib.close();
  }
});
