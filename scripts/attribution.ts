/**
 * Whose words: `npm run eval -- attribution [--split dev|test|all] [--errors N] [--json]` scores the
 * attribution each quote carries on hand-labelled sentences of the bundled story and the BBC
 * archive (test/fixtures/attribution/labels.jsonl names them by position; the BBC text is read from
 * ../shared, never copied).
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Option } from "commander";
import { collect, measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { parseLabels, scoreLabels, summarise, type LabelOutcome } from "../src/eval/attribution.ts";
import { DatasetError, loadArticles } from "../src/eval/datasets.ts";
import { pct, table } from "../src/eval/format.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_LABELS = path.join(ROOT, "test/fixtures/attribution/labels.jsonl");
const DEFAULT_ARTICLES = [path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl"), path.join(ROOT, "test/fixtures/news-questions/v7n-story.jsonl")];

const program = measurementCommand(
  "npm run eval -- attribution",
  "Scores whose words each sentence is (the outlet's reporting, or a named speaker) against hand labels: accuracy = kind and speaker right.",
)
  .option("--labels <file>", "labels.jsonl ({article, paragraph, sentence, speaker|null}, 1-based positions)", DEFAULT_LABELS)
  .option("--articles <file>", "articles.jsonl holding the labelled articles; repeatable (default: the BBC archive in ../shared and the bundled story)", collect)
  .addOption(new Option("--split <half>", "the labels of a fixed half of the articles, by a hash of the article id (tune on dev, report test)").choices(["dev", "test", "all"]).default("all"))
  .option("--errors <n>", "list up to N wrong sentences of the half scored", wholeNumber(0), 0)
  .option("--json", "print {dev, test, all: {sentences, accuracy, kindAccuracy, confusion: {missed, invented, 'wrong speaker'}}} on stdout", false)
  .addHelpText("after", "\nmissed: a source's words shown as the outlet's (the worst error); invented: the outlet's words given to someone; wrong speaker: attributed, to another name.");

const args = parseCommandLine<{ labels: string; articles?: string[]; split: "dev" | "test" | "all"; errors: number; json: boolean }>(program);
try {
  const labels = parseLabels(readFileSync(args.labels, "utf8"), path.basename(args.labels));
  const outcomes = scoreLabels(labels, loadArticles(args.articles ?? DEFAULT_ARTICLES));
  const halves = { dev: outcomes.filter((o) => o.half === "dev"), test: outcomes.filter((o) => o.half === "test"), all: outcomes };
  const shown = args.split === "all" ? (["dev", "test", "all"] as const) : ([args.split] as const);
  if (args.json) {
    const rounded = (h: keyof typeof halves) => {
      const s = summarise(halves[h]);
      return { ...s, accuracy: Math.round(s.accuracy * 1000) / 1000, kindAccuracy: Math.round(s.kindAccuracy * 1000) / 1000 };
    };
    process.stdout.write(`${JSON.stringify(Object.fromEntries(shown.map((h) => [h, rounded(h)])), null, 2)}\n`);
  } else {
    const rows = shown.map((h) => {
      const s = summarise(halves[h]);
      return [h, String(s.sentences), pct(s.accuracy), pct(s.kindAccuracy), String(s.confusion.missed), String(s.confusion.invented), String(s.confusion["wrong speaker"])];
    });
    process.stdout.write(`${table(["half", "sentences", "accuracy %", "kind right %", "missed", "invented", "wrong speaker"], rows)}\n`);
    const wrong = halves[args.split].filter((o) => o.verdict !== "right").slice(0, args.errors);
    if (wrong.length > 0) process.stdout.write(`\n${wrong.map(describe).join("\n")}\n`);
  }
} catch (error) {
  if (!(error instanceof DatasetError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

function describe(o: LabelOutcome): string {
  const got = o.got.kind === "reporting" ? "reporting" : o.got.speaker;
  return `${o.verdict}: ${o.label.article} ${o.label.paragraph}.${o.label.sentence} expected ${o.label.speaker ?? "reporting"}, got ${got}\n    ${o.text}`;
}
