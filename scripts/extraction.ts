/**
 * How well HTML ingest finds an article's text: `npm run bench -- extraction [--json]` scores the
 * parser's paragraphs on the 88 real news pages of ../shared/datasets/news-html-extraction against
 * their hand-marked article bodies (read from ../shared, never copied into the project).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { measurementCommand, parseCommandLine } from "../src/eval/command-line.ts";
import { scorePage, summarise, type PageScore } from "../src/eval/extraction.ts";
import { num, table } from "../src/eval/format.ts";
import { parseSource } from "../src/eval/core.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_DIR = path.resolve(ROOT, "../shared/datasets/news-html-extraction");

const program = measurementCommand(
  "npm run bench -- extraction",
  "Scores main-text extraction (the HTML parser /ingest and npm run ingest use) on real news pages with hand-marked article text: " +
    "4-token shingle precision and recall per page, averaged over pages, F1 of the means, as the public benchmark the pages come from defines them.",
)
  .option("--dataset <dir>", "folder with ground-truth.json and html/<id>.html.gz", DEFAULT_DIR)
  .option("--worst <n>", "list the N pages with the lowest F1", (v) => Number(v), 5)
  .option("--json", "print {pages, precision, recall, f1, accuracy, worst:[{id, url, precision, recall}]} on stdout", false)
  .addHelpText("after", "\nPublished F1 on the benchmark's full 181 pages: rs_trafilatura .970, trafilatura 2.0 .958, Readability.js .947.");

const args = parseCommandLine<{ dataset: string; worst: number; json: boolean }>(program);
const truth = JSON.parse(readFileSync(path.join(args.dataset, "ground-truth.json"), "utf8")) as Record<string, { articleBody: string; url: string }>;
const pages: (PageScore & { id: string; url: string })[] = [];
for (const [id, t] of Object.entries(truth)) {
  const html = gunzipSync(readFileSync(path.join(args.dataset, "html", `${id}.html.gz`)));
  const { articles } = parseSource({ name: `${id}.html`, bytes: html });
  const text = articles.map((a) => a.paragraphs.join("\n")).join("\n");
  pages.push({ id, url: t.url, ...scorePage(text, t.articleBody) });
}
const s = summarise(pages);
const f1 = (p: PageScore) => (p.precision + p.recall === 0 ? 0 : (2 * p.precision * p.recall) / (p.precision + p.recall));
const worst = [...pages].sort((a, b) => f1(a) - f1(b)).slice(0, args.worst);
const round = (x: number) => Math.round(x * 1000) / 1000;
if (args.json) {
  process.stdout.write(`${JSON.stringify({ pages: pages.length, precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), accuracy: round(s.accuracy), worst: worst.map((w) => ({ id: w.id, url: w.url, precision: round(w.precision), recall: round(w.recall) })) }, null, 2)}\n`);
} else {
  process.stdout.write(
    `${table(["pages", "precision", "recall", "F1", "exact pages"], [[String(pages.length), num(s.precision, 3), num(s.recall, 3), num(s.f1, 3), num(s.accuracy, 3)]])}\n\n` +
      `Lowest F1:\n${worst.map((w) => `  ${num(f1(w), 3)} (P ${num(w.precision, 3)}, R ${num(w.recall, 3)}) ${w.url}`).join("\n")}\n`,
  );
}
