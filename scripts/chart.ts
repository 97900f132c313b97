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
import { parseArgs } from "node:util";
import { benchChart, evalChart, type BenchJson, type EvalJson } from "../src/eval/chart.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    eval: { type: "string", multiple: true },
    bench: { type: "string" },
    out: { type: "string" },
    note: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help || (!values.eval?.length && !values.bench)) {
  process.stdout.write("Usage: npx tsx scripts/chart.ts [--eval [LABEL=]FILE ...] [--bench FILE] [--out DIR (default docs/)] [--note TEXT]\n");
  process.exit(values.help ? 0 : 2);
}
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
