/**
 * Measures the rule that decides whether an upload replaces a stored article from a file of the
 * same name (src/ingest/same-story.ts): `npx tsx scripts/same-story.ts --help`.
 * Corrections are made from real articles in the ways newsrooms correct them; different stories are
 * every pair of distinct articles within a topic (the hardest: same subject, same vocabulary).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dedupe } from "../src/eval/bench-corpus.ts";
import { measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { loadArticles, mulberry32, type DatasetArticle } from "../src/eval/datasets.ts";
import { isSameStory, SAME_STORY_MIN, splitSentences, storySimilarity } from "../src/eval/core.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_ARTICLES = path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl");

const program = measurementCommand(
  "npx tsx scripts/same-story.ts",
  `Scores the same-story rule (similarity >= ${SAME_STORY_MIN}) on corrections of real articles and on every same-topic pair of different articles, and lists the closest pairs of different stories.`,
)
  .option("--articles <file>", "articles.jsonl", DEFAULT_ARTICLES)
  .option("--show <n>", "how many of the closest different-story pairs to list", wholeNumber(0), 30)
  .option("--seed <n>", "seed of the corrections", wholeNumber(0), 1);

type Corrector = (a: DatasetArticle, rand: () => number) => string[];

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)]!;

function changeOneWord(paragraphs: string[], rand: () => number): string[] {
  const out = [...paragraphs];
  const i = Math.floor(rand() * out.length);
  const words = out[i]!.split(" ");
  words[Math.floor(rand() * words.length)] = "corrected";
  out[i] = words.join(" ");
  return out;
}

const CORRECTIONS: Record<string, Corrector> = {
  "one word changed": (a, rand) => changeOneWord(a.paragraphs, rand),
  "one sentence reworded": (a, rand) => {
    const out = [...a.paragraphs];
    const i = Math.floor(rand() * out.length);
    const p = out[i]!;
    const s = pick(splitSentences(p), rand);
    out[i] = `${p.slice(0, s.start)}The minister said on Tuesday that the figures had been revised after an internal review.${p.slice(s.end)}`;
    return out;
  },
  "correction note appended": (a) => [...a.paragraphs, "Correction: an earlier version of this story gave the wrong date for the hearing, which is on Friday."],
  "one-paragraph brief, one word changed": (a, rand) => changeOneWord(a.paragraphs.slice(0, 1), rand),
};

const args = parseCommandLine<{ articles: string; show: number; seed: number }>(program);

const articles = dedupe(loadArticles([args.articles]));
process.stdout.write(`${articles.length} distinct articles; rule: similarity >= ${SAME_STORY_MIN}\n\nCorrections (replaced / tried, lowest similarity):\n`);
for (const [name, correct] of Object.entries(CORRECTIONS)) {
  const rand = mulberry32(args.seed);
  let replaced = 0;
  let lowest = 1;
  for (const a of articles) {
    const before = name.startsWith("one-paragraph") ? a.paragraphs.slice(0, 1) : a.paragraphs;
    const after = correct(a, rand);
    if (isSameStory(before, after)) replaced++;
    lowest = Math.min(lowest, storySimilarity(before, after));
  }
  process.stdout.write(`  ${name}: ${replaced} / ${articles.length} (${((100 * replaced) / articles.length).toFixed(1)}%), lowest ${lowest.toFixed(3)}\n`);
}

const topicOf = (a: DatasetArticle) => String(a.record.topic ?? "");
const sentences = articles.map((a) => new Set(a.paragraphs.flatMap((p) => splitSentences(p).map((s) => p.slice(s.start, s.end))).filter((s) => s.length > 40)));
// Pairs worth listing: different stories that repeat at least one sentence of each other.
const shareSentence = (i: number, j: number) => [...sentences[i]!].some((s) => sentences[j]!.has(s));
let pairs = 0;
const same: [number, DatasetArticle, DatasetArticle][] = [];
const closest: [number, DatasetArticle, DatasetArticle][] = [];
for (let i = 0; i < articles.length; i++) {
  for (let j = i + 1; j < articles.length; j++) {
    const a = articles[i]!;
    const b = articles[j]!;
    if (topicOf(a) !== topicOf(b)) continue;
    pairs++;
    if (isSameStory(a.paragraphs, b.paragraphs)) same.push([storySimilarity(a.paragraphs, b.paragraphs), a, b]);
    else if (shareSentence(i, j)) closest.push([storySimilarity(a.paragraphs, b.paragraphs), a, b]);
  }
}
// Pairs of unrelated stories, for scale: a random sample within each topic.
const rand = mulberry32(args.seed);
let randomMax = 0;
for (let n = 0; n < 2000; n++) {
  const a = pick(articles, rand);
  const b = pick(articles, rand);
  if (a !== b && topicOf(a) === topicOf(b)) randomMax = Math.max(randomMax, storySimilarity(a.paragraphs, b.paragraphs));
}
const line = ([s, a, b]: [number, DatasetArticle, DatasetArticle]) => `  ${s.toFixed(3)}  ${a.id} "${a.title}"  |  ${b.id} "${b.title}"\n`;
process.stdout.write(`\nSame-topic pairs of distinct articles: ${pairs.toLocaleString("en-US")}; at or over the rule: ${same.length} (check by their headlines that each is one story re-published):\n`);
for (const p of same.sort((x, y) => y[0] - x[0])) process.stdout.write(line(p));
process.stdout.write(`\nRandom same-topic pairs (2,000 drawn): highest similarity ${randomMax.toFixed(3)}.\n`);
process.stdout.write(`Closest pairs under the rule that share a sentence (${closest.length}):\n`);
for (const p of closest.sort((x, y) => y[0] - x[0]).slice(0, args.show)) process.stdout.write(line(p));

