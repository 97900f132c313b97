/**
 * What a store costs per N articles: `npm run bench -- footprint [options]` (see --help).
 *
 * Ingests the first N distinct articles of a corpus (default: 1,000 of the BBC set, read from
 * ../shared, never copied into the repo) into a temporary data dir with the real `npm run ingest`
 * in a child process, then measures the disk (store.db, index/), the peak memory of the ingest and
 * of a process answering questions (the terminal chat, as `npm start` runs it, over a pipe), then
 * forgets half the articles and runs `npm run compact`, for the space that gives back.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { dedupe } from "../src/eval/bench-corpus.ts";
import { loadArticles } from "../src/eval/datasets.ts";
import { openLibrary, type CompactResult } from "../src/library.ts";
import type { IngestSummary } from "../src/library-types.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_ARTICLES = path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl");
const MiB = 2 ** 20;

const program = measurementCommand(
  "npm run bench -- footprint",
  "Ingests the first N distinct articles of a corpus into a temporary data dir (`npm run ingest` in a child process, " +
    "EMBED_WORKERS as configured), then reports: ingest time and words/s, disk (store.db and index/), peak RSS of the " +
    "ingest process and of a process answering questions (`npm start`'s terminal chat over a pipe, one question per " +
    "article title up to --questions), and the space `npm run compact` gives back after half the articles are forgotten.",
)
  .option("--articles <file>", "corpus in articles.jsonl format", DEFAULT_ARTICLES)
  .option("--limit <n>", "articles to ingest", wholeNumber(1), 1000)
  .option("--questions <n>", "questions for the serving process", wholeNumber(1), 100)
  .option("--json", "print the figures as JSON on stdout", false);

interface Args {
  articles: string;
  limit: number;
  questions: number;
  json: boolean;
}

const log = (m: string) => process.stderr.write(`${m}\n`);

/** `node --import tsx SCRIPT ARGS`, its stdout, wall time and peak RSS (VmHWM, polled from /proc). */
async function measured(script: string, args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; ms: number; peakRss: number | null }> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stdin.end(stdin ?? "");
  let peakRss: number | null = null;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) peakRss = Math.max(peakRss ?? 0, Number(m[1]) * 1024);
    } catch {
      // exited between polls, or no /proc
    }
  }, 100);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  clearInterval(poll);
  return { code, stdout, ms: Date.now() - started, peakRss };
}

function bytesIn(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((n, f) => n + bytesIn(path.join(p, f)), 0) : s.size;
}

async function main(): Promise<void> {
  const options = parseCommandLine<Args>(program);
  const args = { ...options, articles: path.resolve(options.articles) };
  const articles = dedupe(loadArticles([args.articles])).slice(0, args.limit);
  const work = mkdtempSync(path.join(tmpdir(), "nq-footprint-"));
  const dataDir = path.join(work, "data");
  const store = path.join(dataDir, "store.db");
  try {
    const file = path.join(work, "articles.jsonl");
    writeFileSync(file, articles.map((a) => JSON.stringify(a.record)).join("\n") + "\n");

    log(`Ingesting ${articles.length} articles into ${dataDir}...`);
    const ingest = await measured("src/cli/ingest.ts", ["--data-dir", dataDir, "--json", file]);
    if (ingest.code !== 0) throw new Error(`the ingest exited with ${ingest.code}`);
    const summary = JSON.parse(ingest.stdout) as IngestSummary;
    const disk = { storeBytes: bytesIn(store) + bytesIn(`${store}-wal`), indexBytes: bytesIn(path.join(dataDir, "index")) };

    log(`Answering ${Math.min(args.questions, articles.length)} questions in a serving process...`);
    const questions = articles.slice(0, args.questions).map((a) => `What happened: ${a.title}?`);
    const serve = await measured("src/cli/start.ts", ["--data-dir", dataDir], `${questions.join("\n")}\n`);
    if (serve.code !== 0) throw new Error(`the serving process exited with ${serve.code}`);

    log(`Forgetting every other article (${Math.floor(articles.length / 2)}), then npm run compact...`);
    const lib = await openLibrary({ dataDir, warn: log });
    try {
      for (const a of lib.articles().filter((_, i) => i % 2 === 0)) await lib.forget(a.id);
    } finally {
      await lib.close();
    }
    const afterForget = bytesIn(store) + bytesIn(`${store}-wal`);
    const compact = await measured("src/cli/compact.ts", ["--data-dir", dataDir, "--json"]);
    if (compact.code !== 0) throw new Error(`compact exited with ${compact.code}`);
    const compacted = JSON.parse(compact.stdout) as CompactResult;

    const result = {
      articles: articles.length,
      words: summary.words,
      cores: availableParallelism(),
      embedWorkers: process.env.EMBED_WORKERS ?? `default (${Math.min(availableParallelism(), 4)})`,
      ingest: { seconds: Math.round(ingest.ms / 100) / 10, wordsPerSec: Math.round(summary.words / (ingest.ms / 1000)), peakRssMB: ingest.peakRss && Math.round(ingest.peakRss / MiB), failed: summary.failed.length },
      disk: { storeMB: round(disk.storeBytes / MiB), indexMB: round(disk.indexBytes / MiB), totalMB: round((disk.storeBytes + disk.indexBytes) / MiB) },
      serving: { questions: questions.length, peakRssMB: serve.peakRss && Math.round(serve.peakRss / MiB) },
      forgetHalf: { storeMBBefore: round(disk.storeBytes / MiB), storeMBAfterForget: round(afterForget / MiB), storeMBAfterCompact: round(compacted.bytesAfter / MiB), vectorsRemoved: compacted.unusedVectors, compactSeconds: round(compacted.ms / 1000) },
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(
        [
          `${result.articles} articles (${result.words} words), ${result.cores} cores, EMBED_WORKERS ${result.embedWorkers}:`,
          `  ingest        ${result.ingest.seconds} s (${result.ingest.wordsPerSec} words/s), peak RSS ${result.ingest.peakRssMB} MB, ${result.ingest.failed} failed`,
          `  disk          store.db ${result.disk.storeMB} MB + index/ ${result.disk.indexMB} MB = ${result.disk.totalMB} MB`,
          `  serving       peak RSS ${result.serving.peakRssMB} MB over ${result.serving.questions} questions`,
          `  forget half   store.db ${result.forgetHalf.storeMBBefore} MB -> ${result.forgetHalf.storeMBAfterForget} MB; npm run compact -> ${result.forgetHalf.storeMBAfterCompact} MB (${result.forgetHalf.vectorsRemoved} vectors, ${result.forgetHalf.compactSeconds} s)`,
          "",
        ].join("\n"),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

await main();
