/**
 * Draws a blind batch for the attribution labels: `npx tsx scripts/attribution-batch.ts SEED
 * PER_TOPIC MAX_SENTENCES [--exclude ID...]` shuffles each topic's test-half articles not yet labelled
 * with a seeded generator (so the draw can be repeated and checked) and prints the first PER_TOPIC
 * with at most MAX_SENTENCES sentences, sentence by sentence with the positions the labels use. It
 * prints no rule output: the labeller must decide before seeing what the rules say. The text goes
 * to the terminal only, never into the repository.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cleanText } from "../src/articles/normalize.ts";
import { splitSentences } from "../src/articles/sentences.ts";
import { splitOf } from "../src/eval/split.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOPICS = ["business", "politics", "sport", "tech", "entertainment"];

const argv = process.argv.slice(2);
const ex = argv.indexOf("--exclude");
const [seedArg, perTopicArg, maxArg] = ex >= 0 ? argv.slice(0, ex) : argv;
const exclude = new Set(ex >= 0 ? argv.slice(ex + 1) : []);
if (!seedArg || !perTopicArg || !maxArg) {
  process.stderr.write("usage: attribution-batch.ts SEED PER_TOPIC MAX_SENTENCES [--exclude ID...]\n");
  process.exit(2);
}

// mulberry32: tiny, and the same sequence on every machine for a seed.
let state = Number(seedArg) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface Article { id: string; title: string; topic: string; paragraphs: string[] }
const labelled = new Set(
  readFileSync(path.join(ROOT, "test/fixtures/attribution/labels.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { article: string }).article),
);
const articles = readFileSync(path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Article);

for (const topic of TOPICS) {
  const pool = articles.filter((a) => a.topic === topic && splitOf(a.id) === "test" && !labelled.has(a.id) && !exclude.has(a.id));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  let taken = 0;
  for (const a of pool) {
    if (taken >= Number(perTopicArg)) break;
    const paragraphs = a.paragraphs.map(cleanText);
    const spans = paragraphs.map((p) => splitSentences(p));
    const n = spans.reduce((k, s) => k + s.length, 0);
    // Short enough to label every sentence, so reporting and attributed keep news copy's proportion.
    if (n > Number(maxArg)) continue;
    taken++;
    process.stdout.write(`\n=== ${a.id} (${n} sentences): ${a.title}\n`);
    spans.forEach((s, pi) => s.forEach((sp, si) => process.stdout.write(`${pi + 1}.${si + 1} ${paragraphs[pi]!.slice(sp.start, sp.end)}\n`)));
  }
}
