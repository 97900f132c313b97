/**
 * Claim checking, scored per verdict: `npm run eval -- claims --help`.
 * Checks every claim of the set through the same `check()` the bot and `npm run check` use, and
 * reports precision and recall per verdict, the confusion matrix, and whether every quote is verbatim.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Option } from "commander";
import { collect, measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { progressReporter } from "../src/common/progress.ts";
import { loadClaims, scoreVerdicts, VERDICTS, type DatasetClaim, type VerdictScores } from "../src/eval/claims.ts";
import { DatasetError, loadArticles, type DatasetArticle } from "../src/eval/datasets.ts";
import { countProgress, pct, table } from "../src/eval/format.ts";
import { isVerbatim } from "../src/eval/metrics.ts";
import { jsonlSourceFiles } from "../src/eval/sources.ts";
import { splitOf } from "../src/eval/split.ts";
import { openLibrary, type ClaimCheck, type Verdict } from "../src/library.ts";

const program = measurementCommand(
  "npm run eval -- claims",
  "Ingests the claim set's articles (and, with --every, a spread of the others as distractors), checks every claim through check(), and reports precision and recall per verdict.",
)
  .option("--claims <file>", "claims.jsonl ({id, claim, verdict, articles[], kind?})", "test/fixtures/claims/claims.jsonl")
  .requiredOption("--articles <file>", "articles.jsonl holding the claims' articles; repeatable", collect)
  .option("--every <n>", "besides the claims' own articles, ingest only every N-th article of each file (distractors); default: all", wholeNumber(1))
  .option("--data-dir <dir>", "reuse this store (ingest is idempotent). Default: a temp folder")
  .addOption(new Option("--split <half>", "a fixed half of the claims by a hash of their id: tune on dev, report on test").choices(["dev", "test", "all"]).default("all"))
  .option("--errors", "list every claim whose verdict was wrong, with what was found", false)
  .option("--json", "print one JSON object: { claims, split, accuracy, perVerdict: { VERDICT: { precision, recall, expected, got } }, confusion: { EXPECTED: { GOT: n } }, verbatim, seconds }", false)
  .addHelpText(
    "after",
    `
Example (the figures in the README; ingesting every 4th BBC article, ~4 minutes cold):
  npm run eval -- claims --articles ../shared/datasets/bbc-news/articles.jsonl \\
                 --articles test/fixtures/news-questions/v7n-story.jsonl --every 4 --data-dir /tmp/claims-store --split test`,
  );

interface Args {
  claims: string;
  articles: string[];
  every?: number;
  dataDir?: string;
  split: "dev" | "test" | "all";
  errors: boolean;
  json: boolean;
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const args = parseCommandLine<Args>(program);
  const started = performance.now();
  const all = loadClaims(args.claims);
  const claims = args.split === "all" ? all : all.filter((c) => splitOf(c.id) === args.split);
  const named = new Set(all.flatMap((c) => c.articles));
  const articles = args.articles.flatMap((file) => {
    const inFile = loadArticles([file]);
    return inFile.filter((a, i) => named.has(a.id) || args.every === undefined || i % args.every === 0);
  });
  const missing = [...named].filter((id) => !articles.some((a) => a.id === id));
  if (missing.length > 0) throw new DatasetError(`The claims name articles that no --articles file holds: ${missing.slice(0, 10).join(", ")}`);
  log(`${articles.length} articles, ${claims.length} of ${all.length} claims (${args.split})`);

  const tempDir = args.dataDir ? null : mkdtempSync(path.join(tmpdir(), "nq-claims-"));
  const lib = await openLibrary({ dataDir: args.dataDir ?? tempDir!, env: process.env, warn: log });
  try {
    await ingest(lib, articles, args.articles);
    const pairs: { expected: Verdict; got: Verdict }[] = [];
    const wrong: { claim: DatasetClaim; got: ClaimCheck }[] = [];
    let quotes = 0;
    let verbatim = 0;
    const progress = countProgress("Checking", claims.length, "claims");
    for (let i = 0; i < claims.length; i++) {
      const c = claims[i]!;
      const got = await lib.check(c.claim);
      pairs.push({ expected: c.verdict, got: got.verdict });
      if (got.verdict !== c.verdict) wrong.push({ claim: c, got });
      for (const q of got.quotes) {
        quotes++;
        if (isVerbatim(q, lib.paragraph(q.articleId, q.paragraph)?.[0]?.text)) verbatim++;
      }
      progress.tick(i + 1);
    }
    progress.done();
    const scores = scoreVerdicts(pairs);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const verbatimRate = quotes > 0 ? verbatim / quotes : null;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...scores, split: args.split, verbatim: verbatimRate, seconds }, null, 2)}\n`);
    } else {
      process.stdout.write(`${render(scores, args.split, verbatimRate, quotes, seconds)}\n`);
      if (args.errors) for (const w of wrong) process.stdout.write(`\n${describeError(w.claim, w.got)}\n`);
    }
    if (verbatimRate !== null && verbatimRate < 1) log("WARNING: some quotes were not found at their recorded offsets (verbatim < 100%).");
  } finally {
    await lib.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function ingest(lib: Awaited<ReturnType<typeof openLibrary>>, articles: DatasetArticle[], files: string[]): Promise<void> {
  const sources = files.flatMap((file) => jsonlSourceFiles(articles.filter((a) => a.where.startsWith(`${file}:`)).map((a) => a.record), file));
  const progress = progressReporter("Ingesting");
  const summary = await lib.ingest(sources, { onProgress: progress.update });
  progress.done();
  log(`Ingest: ${summary.added.length} added, ${summary.unchanged.length} unchanged, ${summary.failed.length} failed`);
  if (summary.failed.length > 0) throw new DatasetError(`${summary.failed.length} articles could not be ingested; the evaluation needs all of them.`);
}

function render(s: VerdictScores, split: string, verbatim: number | null, quotes: number, seconds: number): string {
  const rows = VERDICTS.map((v) => [v, pct(s.perVerdict[v].precision), pct(s.perVerdict[v].recall), String(s.perVerdict[v].expected), String(s.perVerdict[v].got)]);
  const matrix = VERDICTS.map((e) => [e, ...VERDICTS.map((g) => String(s.confusion[e][g]))]);
  return [
    table(["verdict", "precision", "recall", "expected", "given"], rows),
    "",
    "Confusion (rows: expected, columns: given):",
    table(["expected \\ given", ...VERDICTS], matrix),
    "",
    `${s.claims} claims (${split}), accuracy ${pct(s.accuracy)}%; ${quotes} quotes, verbatim ${pct(verbatim)}%; ${seconds} s.`,
  ].join("\n");
}

function describeError(c: DatasetClaim, got: ClaimCheck): string {
  const facts = got.facts.map((f) => `${f.text}=${f.status}${f.coverageSays ? `(${f.coverageSays})` : ""}`).join(", ");
  return [`${c.id} [${c.kind ?? ""}] expected ${c.verdict}, got ${got.verdict}: ${c.claim}`, `  facts: ${facts || "none"}`, ...got.quotes.map((q) => `  > ${q.text.slice(0, 200)} (${q.articleId} ¶${q.paragraph})`)].join("\n");
}

main().catch((error: unknown) => {
  if (error instanceof DatasetError) {
    log(error.message);
    process.exit(2);
  }
  log(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
