/**
 * Whole-pipeline performance benchmark: `npm run bench -- --help`.
 * Every figure is printed next to a floor or baseline measured in the same run: these machines are
 * noisy, so ratios hold and absolute times do not.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measurementCommand, parseCommandLine, UsageError, wholeNumber } from "../src/eval/command-line.ts";
import { progressReporter } from "../src/common/progress.ts";
import { loadCoreConfig } from "../src/config.ts";
import { articleWords, dedupe, generateQuestions, replicate, spreadSample, wordCount } from "../src/eval/bench-corpus.ts";
import type { BenchJson } from "../src/eval/chart.ts";
import { DatasetError, loadArticles, mulberry32 } from "../src/eval/datasets.ts";
import { countProgress, num, round, table } from "../src/eval/format.ts";
import { chunkArticles } from "../src/eval/langchain-baseline.ts";
import { percentile } from "../src/eval/metrics.ts";
import { jsonlSourceFiles } from "../src/eval/sources.ts";
import { longestStall } from "../src/eval/stall.ts";
import { createEmbeddingProvider, openLibrary, type EmbeddingProvider } from "../src/library.ts";
import { splitSentences } from "../src/eval/core.ts";
import type { Library } from "../src/library-types.ts";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_ARTICLES = path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl");
/** Words embedded single-threaded for the floor: ~8-10 s on these machines. */
const FLOOR_WORDS = 10_000;
/**
 * The LangChain ingest runs on an evenly spread sample of this many words (about 1/16 of BBC): its
 * rate is per word, and the full corpus on one thread would take longer than the whole benchmark.
 */
const DEFAULT_LANGCHAIN_WORDS = 50_000;
const SERVE_QUESTIONS = 200;
const MiB = 1024 * 1024;

const program = measurementCommand("npm run bench --", "Measures ingest, answer latency, scale, cold start and memory, each against a floor or baseline from the same run.")
  .usage("[options]   (npm run bench -- load [options]: the Discord load benchmark; npm run bench -- footprint [options]: disk and memory per N articles; npm run bench -- extraction: HTML main-text extraction on real pages; npm run bench -- web [options]: the staff web pages' latency)")
  .option("--articles <file>", "corpus in articles.jsonl format", DEFAULT_ARTICLES)
  .option("--limit-articles <n>", "only the first N (distinct) articles, for quick runs", wholeNumber(1))
  .option("--questions <n>", "generated questions for latency", wholeNumber(10), 500)
  .option("--langchain-words <n>", "words for the LangChain ingest sample (0 = all)", wholeNumber(0), DEFAULT_LANGCHAIN_WORDS)
  .option("--seed <n>", "question generator seed", wholeNumber(0), 1)
  .option("--json", "print {ingest:{wordsPerSec,floorWordsPerSec,langchainWordsPerSec,reingestSpeedup,longestStallMs}, ask:{p50Ms,p95Ms,p99Ms,embedP50Ms,embedP95Ms}, scale:{p95At1x,p95At4x}, coldStartMs, rssMB, floorMB}", false)
  .addHelpText(
    "after",
    `
What each figure measures:
  ingest    cold ingest words/s into a temporary data dir; floor = the embedding model alone, one
            thread, on a sample of the same sentences (measured before and after the ingest, the
            mean), times the cores used; the stock LangChain
            pipeline (splitter 1000/200 + HNSWLib.fromDocuments, the same model called in-process as
            a LangChain Embeddings, as a user would wire it) on an evenly spread sample of the text;
            re-ingest of the unchanged corpus (speedup over the cold ingest); the longest event-loop
            stall during the ingests
  ask       answer() p50/p95/p99 over generated keyword questions vs embedding the question alone
  scale     answer() p95 at 1x vs 4x corpus (3 copies with new ids; their text hits the cache)
  cold start  a fresh process (tsx) opening the saved index and answering one question
  memory    peak RSS of that serving process vs floor = model process RSS + raw vectors
            (sentences x dimension x 4 bytes)
Articles whose paragraphs repeat an earlier article's are dropped first (BBC: 98 exact duplicates
and 35 re-headlined copies).
EMBED_WORKERS sets the embedding threads (default: cores, at most 4). Progress goes to stderr.`,
  );

interface Args {
  articles: string;
  limitArticles?: number;
  questions: number;
  langchainWords: number;
  seed: number;
  json: boolean;
}

const log = (m: string) => process.stderr.write(`${m}\n`);
const mbNow = () => process.resourceUsage().maxRSS / 1024;

/** The `--json` object, as the issue fixes it and scripts/chart.ts reads it. */
export type BenchResult = BenchJson;

async function main(): Promise<void> {
  const side = { load: "./load-bench.ts", footprint: "./footprint.ts", extraction: "./extraction.ts", web: "./web-bench.ts" }[process.argv[2] ?? ""];
  if (side) {
    // `npm run bench -- load|footprint|extraction|web [options]`: the Discord load benchmark, the
    // disk and memory a store takes per N articles, HTML main-text extraction, or the staff web
    // pages' latency; each runs as imported.
    process.argv.splice(2, 1);
    await import(side);
    return;
  }
  const args = parseCommandLine<Args>(program);
  const started = performance.now();
  const loadStart = loadavg()[0]!;
  const all = loadArticles([args.articles]);
  const distinct = dedupe(all);
  const corpus = args.limitArticles ? distinct.slice(0, args.limitArticles) : distinct;
  const words = corpus.reduce((n, a) => n + articleWords(a), 0);
  const sentences = corpus.flatMap((a) => a.paragraphs.flatMap((p) => splitSentences(p).map((s) => p.slice(s.start, s.end))));
  log(`Corpus: ${corpus.length} articles (${all.length - distinct.length} dropped: same paragraphs as an earlier article), ${num(words)} words, ${num(sentences.length)} sentences`);

  const config = loadCoreConfig(process.env);
  if (config.embeddings.provider !== "use-lite") throw new UsageError("The benchmark measures the bundled model: unset EMBEDDINGS (or set it to use-lite).");
  const workers = config.embeddings.workers;
  const cores = Math.max(1, Math.min(workers, availableParallelism()));
  const scratch = mkdtempSync(path.join(tmpdir(), "nq-bench-"));
  const dataDir = path.join(scratch, "data");
  const provider = await createEmbeddingProvider(config.embeddings);
  const notes: string[] = [];
  try {
    // 1. Floor: the model alone, one thread, in its own process.
    log("Floor: embedding model alone, one thread...");
    const floorSample = sampleSentences(sentences, FLOOR_WORDS, args.seed);
    const floorFile = path.join(scratch, "floor.json");
    writeFileSync(floorFile, JSON.stringify(floorSample));
    type Floor = { modelRssMB: number; wordsPerSec: number; words: number; sentences: number };
    const floor = (await child(["floor", floorFile])).result as Floor;

    // Both ingests below run with warm workers: the cost measured is the pipeline, not thread start.
    await warmUp(provider, workers);

    // 2. Cold ingest, then re-ingest of the unchanged corpus.
    const files = jsonlSourceFiles(corpus.map((a) => a.record), path.basename(args.articles));
    let lib: Library = await openLibrary({ dataDir, provider, env: process.env, warn: log });
    const cold = await ingestTimed(lib, files, "Cold ingest");
    if (cold.failed.length > 0) throw new Error(`${cold.failed.length} articles failed to ingest, e.g. ${cold.failed[0]!.where}: ${cold.failed[0]!.reason}`);
    const wordsPerSec = cold.words / (cold.ms / 1000);
    // The floor again, after the ingest: one ~12 s sample drifted by up to 20% between runs, so the
    // ingest is compared with the mean of a measurement on each side of it.
    const floorAfter = (await child(["floor", floorFile])).result as Floor;
    const floorWordsPerSec = ((floor.wordsPerSec + floorAfter.wordsPerSec) / 2) * cores;
    notes.push(
      `floor: ${num(floor.words)} words in ${floor.sentences} sentences on one thread = ${num(floor.wordsPerSec)} words/s before the ingest, ${num(floorAfter.wordsPerSec)} after; mean x ${cores} core${cores === 1 ? "" : "s"} used (EMBED_WORKERS=${workers})`,
    );
    if (cold.cachedSentences > 0) notes.push(`cold ingest: ${cold.cachedSentences} of ${cold.cachedSentences + cold.embeddedSentences} distinct sentences repeated within the corpus and came from the cache`);
    const re = await ingestTimed(lib, files, "Re-ingest");
    const reingestSpeedup = cold.ms / Math.max(1, re.ms);
    notes.push(`re-ingest: ${re.unchanged.length} unchanged articles in ${num(re.ms)} ms (cold: ${num(cold.ms)} ms)`);

    // 3. Latency at 1x: generated questions; embedding alone and answer() interleaved.
    const questions = generateQuestions(corpus, args.questions, args.seed);
    const at1x = await latency(lib, provider, questions, "Asking (1x)");
    const ingestRssMB = mbNow();
    await lib.close();

    // 4. Cold start and serving memory, in a fresh process.
    log("Cold start: a new process opens the saved index and answers...");
    const qFile = path.join(scratch, "questions.json");
    writeFileSync(qFile, JSON.stringify(questions.slice(0, SERVE_QUESTIONS)));
    const serve = await child(["serve", dataDir, qFile], true);
    const served = serve.result as { peakRssMB: number };
    const vectorsMB = (sentences.length * (await provider.dimension()) * 4) / MiB;
    const floorMB = floor.modelRssMB + vectorsMB;
    notes.push(`memory floor: model process ${num(floor.modelRssMB)} MB + raw vectors ${num(sentences.length)} x ${await provider.dimension()} x 4 B = ${num(vectorsMB, 1)} MB`);
    notes.push(`serving process (rssMB): opened the saved index, answered ${Math.min(SERVE_QUESTIONS, questions.length)} questions; the ingest process peaked at ${num(ingestRssMB)} MB (${workers} worker models + the query model)`);

    // 5. The stock LangChain ingest on (a sample of) the same text.
    const lcArticles = args.langchainWords > 0 ? spreadSample(corpus, args.langchainWords) : corpus;
    const lcWords = lcArticles.reduce((n, a) => n + articleWords(a), 0);
    log(`LangChain ingest: ${lcArticles.length} articles, ${num(lcWords)} words (splitter + HNSWLib.fromDocuments)...`);
    // The stock pipeline calls the model in-process: one thread, no worker pool, no cache. It gets
    // its own instance (loaded before the clock starts) so the project's workers are not lent to it.
    const stock = await createEmbeddingProvider({ ...config.embeddings, workers: 0 });
    await stock.embeddings.embedQuery("warm-up question");
    const t0 = performance.now();
    const docs = await chunkArticles(lcArticles);
    const store = await HNSWLib.fromDocuments(docs, stock.embeddings);
    const lcMs = performance.now() - t0;
    await stock.close();
    const langchainWordsPerSec = lcWords / (lcMs / 1000);
    notes.push(
      `LangChain: ${docs.length} chunks, ${num(lcWords)} words${lcArticles.length < corpus.length ? ` (every ${round(corpus.length / lcArticles.length, 1)}th article, to keep time)` : ""} in ${num(lcMs / 1000, 1)} s, model in-process on one thread; store holds ${store.index.getCurrentCount()} vectors`,
    );

    // 6. Scale: three more copies of the corpus, same questions.
    lib = await openLibrary({ dataDir, provider, env: process.env, warn: log });
    const copies = [2, 3, 4].flatMap((k) => jsonlSourceFiles(replicate(corpus, k), `copy${k}.jsonl`));
    const grow = await ingestTimed(lib, copies, "Ingest to 4x");
    notes.push(`4x: ${grow.added.length} copies added in ${num(grow.ms / 1000, 1)} s (${grow.cachedSentences} sentences from the cache, ${grow.embeddedSentences} embedded)`);
    const at4x = await latency(lib, provider, questions, "Asking (4x)");
    notes.push(`answer() stages, p50 / p95 ms: 1x ${at1x.stages}; 4x ${at4x.stages}`);
    await lib.close();

    const result: BenchResult = {
      ingest: { wordsPerSec: round(wordsPerSec, 0), floorWordsPerSec: round(floorWordsPerSec, 0), langchainWordsPerSec: round(langchainWordsPerSec, 0), reingestSpeedup: round(reingestSpeedup, 1), longestStallMs: round(longestIngestStallMs, 0) },
      ask: { p50Ms: round(at1x.p50), p95Ms: round(at1x.p95), p99Ms: round(at1x.p99), embedP50Ms: round(at1x.embedP50), embedP95Ms: round(at1x.embedP95) },
      scale: { p95At1x: round(at1x.p95), p95At4x: round(at4x.p95) },
      coldStartMs: round(serve.firstMs, 0),
      rssMB: round(served.peakRssMB, 0),
      floorMB: round(floorMB, 0),
    };
    notes.push(`total ${num((performance.now() - started) / 1000, 0)} s; load average at start ${loadStart.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores (other processes' load skews absolute figures more than the same-run ratios)`);
    const noteLines = `${notes.map((n) => `- ${n}`).join("\n")}\n`;
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      // The notes say how each figure was made; with --json they go with the progress, to stderr.
      process.stderr.write(`${render(result, corpus.length, words, questions.length)}\n\n${noteLines}`);
    } else process.stdout.write(`${render(result, corpus.length, words, questions.length)}\n\n${noteLines}`);
  } finally {
    await provider.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Sentences spread over the corpus until about `maxWords` words (deterministic). */
function sampleSentences(sentences: string[], maxWords: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const out: string[] = [];
  let words = 0;
  const total = sentences.reduce((n, s) => n + wordCount(s), 0);
  const share = Math.min(1, maxWords / Math.max(1, total));
  for (const s of sentences) {
    if (words >= maxWords) break;
    if (rand() < share * 1.1) {
      out.push(s);
      words += wordCount(s);
    }
  }
  return out;
}

async function warmUp(provider: EmbeddingProvider, workers: number): Promise<void> {
  // One batch (64 texts) per worker, so every worker has loaded its model.
  await provider.embeddings.embedDocuments(Array.from({ length: 64 * Math.max(1, workers) }, (_, i) => `Warm-up sentence number ${i}.`));
  await provider.embeddings.embedQuery("warm-up question");
}

/** The longest event-loop stall over every ingest of this run (what a member's /ask could wait). */
let longestIngestStallMs = 0;

async function ingestTimed(lib: Library, files: Parameters<Library["ingest"]>[0], label: string) {
  const progress = progressReporter(label);
  const { result: summary, stallMs } = await longestStall(lib.ingest(files, { onProgress: progress.update }));
  longestIngestStallMs = Math.max(longestIngestStallMs, stallMs);
  progress.done();
  log(`${label}: ${summary.added.length} added, ${summary.unchanged.length} unchanged, ${num(summary.words)} words in ${num(summary.ms / 1000, 1)} s`);
  return summary;
}

async function latency(lib: Library, provider: EmbeddingProvider, questions: string[], label: string) {
  for (const q of questions.slice(0, 5)) await lib.answer(q);
  const answerMs: number[] = [];
  const embedMs: number[] = [];
  const parts = { embed: [] as number[], retrieve: [] as number[], select: [] as number[] };
  const progress = countProgress(label, questions.length);
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    let t = performance.now();
    await provider.embeddings.embedQuery(q);
    embedMs.push(performance.now() - t);
    t = performance.now();
    const a = await lib.answer(q);
    answerMs.push(performance.now() - t);
    parts.embed.push(a.timings.embedMs);
    parts.retrieve.push(a.timings.retrieveMs);
    parts.select.push(a.timings.selectMs);
    progress.tick(i + 1);
  }
  progress.done();
  return {
    p50: percentile(answerMs, 50),
    p95: percentile(answerMs, 95),
    p99: percentile(answerMs, 99),
    embedP50: percentile(embedMs, 50),
    embedP95: percentile(embedMs, 95),
    /** answer()'s own timings, p50 / p95 of each stage. */
    stages: Object.entries(parts)
      .map(([k, v]) => `${k} ${num(percentile(v, 50), 1)} / ${num(percentile(v, 95), 1)}`)
      .join(", "),
  };
}

/** Runs scripts/bench-child.ts with tsx, as the project's commands run; times its "FIRST" line. */
function child(args: string[], timeFirst = false): Promise<{ result: unknown; firstMs: number }> {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const script = path.join(ROOT, "scripts", "bench-child.ts");
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstMs = NaN;
    let out = "";
    let err = "";
    const proc = spawn(tsx, [script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => {
      if (timeFirst && Number.isNaN(firstMs) && (out + chunk).includes("FIRST ")) firstMs = performance.now() - t0;
      out += chunk;
    });
    proc.stderr.on("data", (chunk) => (err += String(chunk)));
    proc.on("error", reject);
    proc.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) return reject(new Error(`bench child (${args[0]}) failed with code ${code}: ${err.trim().slice(-2000)}`));
      resolve({ result: JSON.parse(line.slice("RESULT ".length)), firstMs });
    });
  });
}

function render(r: BenchResult, articles: number, words: number, questions: number): string {
  const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : "n/a");
  const ok = (pass: boolean) => (pass ? "yes" : "NO");
  const rows = [
    ["ingest words/s", num(r.ingest.wordsPerSec), `floor ${num(r.ingest.floorWordsPerSec)}`, x(r.ingest.wordsPerSec, r.ingest.floorWordsPerSec), ">= 0.85x", ok(r.ingest.wordsPerSec >= 0.85 * r.ingest.floorWordsPerSec)],
    ["", "", `LangChain ${num(r.ingest.langchainWordsPerSec)}`, x(r.ingest.wordsPerSec, r.ingest.langchainWordsPerSec), ">= 1.6x", ok(r.ingest.wordsPerSec >= 1.6 * r.ingest.langchainWordsPerSec)],
    ["re-ingest speedup", `${num(r.ingest.reingestSpeedup, 1)}x`, "cold ingest", "", ">= 50x", ok(r.ingest.reingestSpeedup >= 50)],
    ["longest stall in ingest ms", num(r.ingest.longestStallMs ?? 0), "Discord ack 3,000", "", "< 1,000", ok((r.ingest.longestStallMs ?? 0) < 1000)],
    ["answer() p50 ms", num(r.ask.p50Ms, 1), `embed p50 ${num(r.ask.embedP50Ms, 1)}`, x(r.ask.p50Ms, r.ask.embedP50Ms), "", ""],
    ["answer() p95 ms", num(r.ask.p95Ms, 1), `embed p95 ${num(r.ask.embedP95Ms, 1)}`, x(r.ask.p95Ms, r.ask.embedP95Ms), "<= 2x", ok(r.ask.p95Ms <= 2 * r.ask.embedP95Ms)],
    ["answer() p99 ms", num(r.ask.p99Ms, 1), "", "", "", ""],
    ["p95 at 4x corpus ms", num(r.scale.p95At4x, 1), `1x ${num(r.scale.p95At1x, 1)}`, x(r.scale.p95At4x, r.scale.p95At1x), "<= 1.3x", ok(r.scale.p95At4x <= 1.3 * r.scale.p95At1x)],
    ["cold start ms", num(r.coldStartMs), "", "", "", ""],
    ["peak RSS MB", num(r.rssMB), `floor ${num(r.floorMB)}`, x(r.rssMB, r.floorMB), "<= 2x, < 500", ok(r.rssMB <= 2 * r.floorMB && r.rssMB < 500)],
  ];
  return [`Benchmark: ${articles} articles, ${num(words)} words, ${questions} generated questions`, "", table(["figure", "project", "floor / baseline", "ratio", "target", "met"], rows)].join("\n");
}

main().catch((error: unknown) => {
  if (error instanceof DatasetError || error instanceof UsageError) {
    log(error.message);
    process.exit(2);
  }
  log(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
