/**
 * Charts from the JSON outputs of eval and bench:
 *   npx tsx scripts/chart.ts [--eval [LABEL=]FILE ...] [--bench FILE] [--out DIR] [--note TEXT]
 * writes DIR/eval.svg (one block per --eval file, in order) and DIR/bench.svg. DIR defaults to docs/.
 * Example:
 *   npm run -s eval -- --articles A.jsonl --questions Q.jsonl --limit 2000 --json > /tmp/squad11.json
 *   npm run -s bench -- --json > /tmp/bench.json
 *   npx tsx scripts/chart.ts --eval "SQuAD v1.1 dev=/tmp/squad11.json" --bench /tmp/bench.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { collect, measurementCommand, parseCommandLine } from "../src/eval/command-line.ts";
import { benchChart, evalChart, type BenchJson, type EvalJson } from "../src/eval/chart.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const program = measurementCommand("npx tsx scripts/chart.ts", "Charts from the JSON outputs of eval and bench: DIR/eval.svg (one block per --eval file, in order) and DIR/bench.svg.")
  .option("--eval <[label=]file>", "an `npm run eval -- --json` output; repeatable", collect)
  .option("--bench <file>", "an `npm run bench -- --json` output")
  .option("--out <dir>", "where the charts go (default docs/)")
  .option("--note <text>", "a line under the bench chart");
const values = parseCommandLine<{ eval?: string[]; bench?: string; out?: string; note?: string }>(program);
if (!values.eval?.length && !values.bench) program.error("give --eval FILE and/or --bench FILE.");
const out = path.resolve(values.out ?? path.join(ROOT, "docs"));
mkdirSync(out, { recursive: true });

const readJson = <T>(file: string): T => {
  try {
    // `npm run eval -- --json > f` also writes npm's "> script" banner; `npm run -s` does not.
    const text = readFileSync(file, "utf8");
    const start = text.search(/^\{/m);
    return JSON.parse(start > 0 ? text.slice(start) : text) as T;
  } catch (error) {
    process.stderr.write(`${file}: cannot read it as JSON (${(error as Error).message}).\n`);
    process.exit(2);
  }
};

if (values.eval?.length) {
  const runs = values.eval.map((spec) => {
    const i = spec.indexOf("=");
    const file = i > 0 ? spec.slice(i + 1) : spec;
    const label = i > 0 ? spec.slice(0, i) : path.basename(file, ".json");
    return { label, result: readJson<EvalJson>(file) };
  });
  writeFileSync(path.join(out, "eval.svg"), evalChart(runs));
  process.stderr.write(`wrote ${path.join(out, "eval.svg")}\n`);
}
if (values.bench) {
  writeFileSync(path.join(out, "bench.svg"), benchChart(readJson<BenchJson>(values.bench), values.note));
  process.stderr.write(`wrote ${path.join(out, "bench.svg")}\n`);
}
