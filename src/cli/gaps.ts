import { Command } from "commander";
import { DEFAULT_GAP_DAYS, MAX_GAP_DAYS, MAX_GAP_TOPICS, openLibrary } from "../library.ts";
import type { GapReport } from "../library-types.ts";
import { plural } from "../common/text.ts";
import { loadEnv, run } from "./common.ts";
import { wholeNumber } from "../common/options.ts";


const program = new Command("npm run gaps --")
  .description(
    "What the community asked that the coverage did not answer: declined questions, closest-coverage replies and answers rated " +
      "not helpful, grouped into topics by the key terms they share, most asked first, each with its counts, an example question " +
      "and when it was last asked. The newsroom's story-idea list from its own community.",
  )
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--days <n>", `look back this many days (default ${DEFAULT_GAP_DAYS}, at most ${MAX_GAP_DAYS}; receipts are kept RECEIPT_RETENTION_DAYS, default 90)`, wholeNumber(1, MAX_GAP_DAYS))
  .option("--limit <n>", `list at most this many topics (default and at most ${MAX_GAP_TOPICS})`, wholeNumber(1, MAX_GAP_TOPICS))
  .option("--json", "print the report as JSON on stdout")
  .addHelpText("after", "\nExit code: 0 when listed (an empty list included), 2 on a setup error.");

export function renderGaps(report: GapReport): string {
  const head = `Last ${plural(report.days, "day")} (since ${report.since.slice(0, 10)}): ${report.unanswered} unanswered (declined or closest-coverage questions, and answers rated not helpful).`;
  if (report.gaps.length === 0) return `${head}\nNothing to list: every question in that time was answered, or none was asked.`;
  const lines = [report.read < report.unanswered ? `${head} Grouped: the latest ${report.read}.` : head];
  report.gaps.forEach((g, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${g.terms.join(", ")}: ${g.count} (${g.declined} declined, ${g.notHelpful} not helpful), last asked ${g.lastAsked.slice(0, 16).replace("T", " ")}`);
    lines.push(`    e.g. “${g.example}”`);
  });
  return lines.join("\n");
}

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; days?: number; limit?: number; json?: boolean }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    const report = await lib.gaps({ days: opts.days ?? DEFAULT_GAP_DAYS, limit: opts.limit ?? MAX_GAP_TOPICS });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderGaps(report)}\n`);
  } finally {
    await lib.close();
  }
});
