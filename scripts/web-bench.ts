/**
 * Latency of the staff web pages: `npm run bench -- web [options]` (see --help).
 *
 * A temporary store (or --data-dir) holding the archive, the real server on 127.0.0.1, and
 * requests made one at a time the way a staff member's browser makes them, so each figure is a
 * page's own cost: article pages at a cited paragraph, answer pages of receipts that answer()
 * made, search pages (which run answer()), and the staff lists. Timed from the request sent to
 * the last byte of the page received.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateQuestions } from "../src/eval/bench-corpus.ts";
import { measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { loadArticles } from "../src/eval/datasets.ts";
import { num, round } from "../src/eval/format.ts";
import { percentile } from "../src/eval/metrics.ts";
import { jsonlSourceFiles } from "../src/eval/sources.ts";
import { openLibrary } from "../src/library.ts";
import { startWebServer } from "../src/web/server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_ARTICLES = path.resolve(ROOT, "../shared/datasets/bbc-news/articles.jsonl");
/** The issue's target for every page kind. */
const TARGET_P95_MS = 100;
const TOKEN = "bench-token-bench-token-bench";
const LISTS = ["/gaps", "/corrections", "/feeds", "/feedback"];

const program = measurementCommand("npm run bench -- web", "p50/p95 latency of the staff web pages (article, answer, search, staff lists) over the archive, against the 100 ms target.")
  .option("--articles <file>", "corpus in articles.jsonl format", DEFAULT_ARTICLES)
  .option("--limit-articles <n>", "only the first N articles", wholeNumber(1))
  .option("--requests <n>", "requests per page kind", wholeNumber(10), 200)
  .option("--seed <n>", "question generator seed", wholeNumber(0), 1)
  .option("--data-dir <dir>", "use (and keep) this data directory; an unchanged corpus is not re-ingested")
  .option("--json", "print the figures as JSON on stdout", false);

interface Args {
  articles: string;
  limitArticles?: number;
  requests: number;
  seed: number;
  dataDir?: string;
  json: boolean;
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const args = parseCommandLine<Args>(program);
  const all = loadArticles([args.articles]);
  const corpus = args.limitArticles ? all.slice(0, args.limitArticles) : all;
  const scratch = args.dataDir ? null : mkdtempSync(path.join(tmpdir(), "nq-web-bench-"));
  const dataDir = path.resolve(args.dataDir ?? path.join(scratch!, "data"));
  const lib = await openLibrary({ dataDir, warn: log });
  try {
    log(`Ingesting ${corpus.length} articles into ${dataDir}...`);
    const ingestStarted = performance.now();
    const summary = await lib.ingest(jsonlSourceFiles(corpus.map((a) => a.record), path.basename(args.articles)));
    log(`Ingest: ${summary.added.length} added, ${summary.unchanged.length} unchanged, ${summary.failed.length} failed in ${round((performance.now() - ingestStarted) / 1000, 1)} s.`);

    const questions = generateQuestions(corpus, args.requests * 2, args.seed);
    const asked = questions.slice(0, args.requests);
    const searched = questions.slice(args.requests);
    // Receipts as the bot makes them: answer(), recorded, and some rated, so answer pages show feedback.
    const receipts: { id: string; article: string }[] = [];
    for (const [i, q] of asked.entries()) {
      const a = await lib.answer(q);
      const id = lib.recordAnswer(a, { face: "discord", guildId: "1", channelId: "2", memberId: `member-${i % 25}` });
      lib.linkAnswerMessage(id, `message-${i}`);
      if (i % 3 === 0) lib.rateAnswer({ messageId: `message-${i}`, helpful: i % 2 === 0, by: `member-${i % 7}` });
      const quote = a.quotes[0];
      const c = quote ? a.citations[quote.citation - 1] : a.citations[0];
      const article = c ? `/articles/${encodeURIComponent(c.articleId)}?p=${c.paragraph}${quote ? `&q=${quote.start}-${quote.end}` : ""}` : `/articles/${encodeURIComponent(corpus[i % corpus.length]!.id)}`;
      receipts.push({ id, article });
    }

    const web = await startWebServer({ library: lib, config: { port: null, host: "127.0.0.1", token: TOKEN, publicArticles: false }, port: 0, host: "127.0.0.1" });
    const timings: Record<string, number[]> = { article: [], answer: [], search: [], lists: [] };
    const get = async (kind: string, page: string) => {
      const started = performance.now();
      const res = await fetch(web.url + page, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = await res.text();
      timings[kind]!.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`GET ${page}: ${res.status} ${body.slice(0, 200)}`);
    };
    try {
      // One of each first: the first request of a kind pays for Hono's routing set-up and the stylesheet's read.
      await get("lists", "/");
      timings.lists = [];
      const started = performance.now();
      // Interleaved, as staff use them, so no kind is measured on a warmer cache than another.
      for (let i = 0; i < args.requests; i++) {
        await get("article", receipts[i]!.article);
        await get("answer", `/answers/${receipts[i]!.id}`);
        await get("search", `/search?q=${encodeURIComponent(searched[i] ?? asked[i]!)}`);
        await get("lists", LISTS[i % LISTS.length]!);
      }
      const seconds = (performance.now() - started) / 1000;
      const figures = Object.fromEntries(
        Object.entries(timings).map(([kind, t]) => [kind, { requests: t.length, p50Ms: round(percentile(t, 50), 1), p95Ms: round(percentile(t, 95), 1), maxMs: round(Math.max(...t), 1) }]),
      );
      const stats = lib.stats();
      const result = { articles: stats.articles, paragraphs: stats.paragraphs, requestsPerKind: args.requests, targetP95Ms: TARGET_P95_MS, seconds: round(seconds, 1), cores: availableParallelism(), load: round(loadavg()[0]!, 2), pages: figures };
      if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const lines = [
          `Store: ${num(stats.articles)} articles, ${num(stats.paragraphs)} paragraphs; ${args.requests} requests per kind, one at a time, over HTTP on 127.0.0.1 (${round(seconds, 1)} s; load ${result.load} on ${result.cores} cores).`,
          `${"page".padEnd(50)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)}  target p95 <= ${TARGET_P95_MS} ms`,
          ...Object.entries(figures).map(([kind, f]) => `${LABELS[kind]!.padEnd(50)} ${String(f.p50Ms).padStart(8)} ${String(f.p95Ms).padStart(8)} ${String(f.maxMs).padStart(8)}  ${f.p95Ms <= TARGET_P95_MS ? "met" : "NOT met"}`),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      }
    } finally {
      await web.close();
    }
  } finally {
    await lib.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

const LABELS: Record<string, string> = {
  article: "article (/articles/ID?p=N&q=RANGE)",
  answer: "answer (/answers/R-...)",
  search: "search (/search?q=..., runs answer())",
  lists: "staff lists (gaps, corrections, feeds, feedback)",
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
