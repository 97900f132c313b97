/**
 * Child processes of `npm run bench`, so that each measurement has a process of its own:
 *   floor SENTENCES.json    the embedding model alone, one thread: RSS after load + one query-sized
 *                           embed, then throughput over the sentences sorted by length, in batches of
 *                           16: the model at its best on that text (least padding), not a straw man
 *   serve DATA_DIR Q.json   cold start: open the saved library and answer the first question (prints
 *                           "FIRST" at once, so the parent can time it), then answer the rest; peak RSS
 * Each prints one line "RESULT {json}" on stdout.
 */
import { readFileSync } from "node:fs";
import { percentile } from "../src/eval/metrics.ts";

const BATCH = 16;
const mb = () => process.resourceUsage().maxRSS / 1024;

async function floor(file: string): Promise<void> {
  const sentences = (JSON.parse(readFileSync(file, "utf8")) as string[]).sort((a, b) => a.length - b.length);
  const { loadUseLite } = await import("../src/index/use-lite-model.ts");
  const model = await loadUseLite();
  await model.embed(["A short question about the coverage?"]);
  const modelRssMB = mb();
  // One untimed batch: the first calls of the WASM backend are slower.
  await model.embed(sentences.slice(0, BATCH));
  let words = 0;
  for (const s of sentences) words += s.split(/\s+/).filter(Boolean).length;
  const t0 = performance.now();
  for (let i = 0; i < sentences.length; i += BATCH) await model.embed(sentences.slice(i, i + BATCH));
  const ms = performance.now() - t0;
  process.stdout.write(`RESULT ${JSON.stringify({ modelRssMB, words, sentences: sentences.length, ms, wordsPerSec: words / (ms / 1000), peakRssMB: mb() })}\n`);
}

async function serve(dataDir: string, file: string): Promise<void> {
  const questions = JSON.parse(readFileSync(file, "utf8")) as string[];
  const { openLibrary } = await import("../src/library.ts");
  // An ask-only process: no ingest, so no embedding workers.
  const lib = await openLibrary({ dataDir, env: { ...process.env, EMBED_WORKERS: "0" }, warn: (m) => process.stderr.write(`${m}\n`) });
  const first = await lib.answer(questions[0]!);
  process.stdout.write(`FIRST ${JSON.stringify({ status: first.status, totalMs: first.timings.totalMs })}\n`);
  const times: number[] = [];
  for (const q of questions.slice(1)) {
    const t = performance.now();
    await lib.answer(q);
    times.push(performance.now() - t);
  }
  await lib.close();
  process.stdout.write(`RESULT ${JSON.stringify({ peakRssMB: mb(), answered: times.length + 1, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) })}\n`);
}

const [mode, ...rest] = process.argv.slice(2);
const run = mode === "floor" ? floor(rest[0]!) : mode === "serve" ? serve(rest[0]!, rest[1]!) : Promise.reject(new Error(`unknown mode ${mode}`));
run.then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
