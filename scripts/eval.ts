/**
 * Answer-quality evaluation: `npm run eval -- --help`.
 * Asks every question through the same `answer()` the bot uses, once per retrieval method, and the
 * stock LangChain pipeline on the same articles with the same embeddings; prints one table (or JSON).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { collect, measurementCommand, parseCommandLine, wholeNumber } from "../src/eval/command-line.ts";
import { progressReporter } from "../src/common/progress.ts";
import { loadCoreConfig } from "../src/config.ts";
import { checkEvidence, DatasetError, loadArticles, loadQuestions, sample, type DatasetArticle, type DatasetQuestion } from "../src/eval/datasets.ts";
import { countProgress, num, pct, table } from "../src/eval/format.ts";
import { baselineKey, LangchainBaseline } from "../src/eval/langchain-baseline.ts";
import { isVerbatim, MethodAccumulator, roundMetrics, type MethodMetrics, type Outcome } from "../src/eval/metrics.ts";
import { jsonlSourceFiles } from "../src/eval/sources.ts";
import { splitOf } from "../src/eval/split.ts";
import { createEmbeddingProvider, openLibrary, type Answer, type ConversationTurn, type EmbeddingProvider, type RetrievalMethod } from "../src/library.ts";
import { cleanText } from "../src/eval/core.ts";
import type { Library } from "../src/library-types.ts";

const PROJECT = "project";
const METHODS: { name: string; method: RetrievalMethod | "langchain" }[] = [
  { name: "bm25", method: "bm25" },
  { name: "dense", method: "dense" },
  { name: "langchain", method: "langchain" },
  { name: PROJECT, method: "hybrid" },
];

const program = measurementCommand(
  "npm run eval --",
  "Ingests the articles (into --data-dir, or a temporary folder), asks every question through " +
    "answer() with each retrieval method, and reports per method the figures listed below.",
)
  .usage(
    "[options]   (npm run eval -- claims [options]: claim checking, precision and recall per verdict; " +
      "npm run eval -- attribution [options]: whose words each quote is, scored on hand-labelled sentences)",
  )
  .requiredOption("--articles <file>", "articles.jsonl ({id, title, paragraphs[], ...}); repeatable", collect)
  .requiredOption("--questions <file>", "questions.jsonl ({question, answers[], evidence[{article_id, paragraph_index}]})")
  .option("--data-dir <dir>", "reuse this store (ingest is idempotent: unchanged articles cost nothing); the LangChain store is cached under DIR/eval-langchain/. Default: a temp folder")
  .option("--limit <n>", "ask a fixed-seed sample of N questions (default: all)", wholeNumber(1))
  .option("--seed <n>", "sample seed", wholeNumber(0), 1)
  .option("--methods <list>", `comma-separated subset of ${METHODS.map((m) => m.name).join(",")} (default: all); tuning runs use "--methods ${PROJECT}" to skip the baselines (and the LangChain build)`, methodList)
  .addOption(new Option("--split <half>", "a fixed half of the questions by a hash of their id, so that tuning on dev and reporting on test never share a question").choices(["dev", "test", "all"]).default("all"))
  .option("--json", "print one JSON object on stdout (rates as fractions 0..1, null = n/a), described below", false)
  .addHelpText(
    "after",
    `
Figures, per method:
  Hits@1/@4/@10, MRR@10   gold = the question's evidence paragraphs; ranked = Answer.ranked
  answer-in-quote         some gold answer (case-insensitive) in the quotes' text
  verbatim                quotes found at their offsets in the stored paragraph (must be 100%)
  abstention              not-answered (closest or not_found) precision/recall on unanswerable
                          questions (empty answers), answered-rate on answerable ones, balanced
                          accuracy = their mean
  useful                  answerable questions with a gold answer in the quotes shown (answered
                          or closest tier)
  confidentlyWrong        answered-tier replies whose quotes hold no gold answer
  duplicateCitations      answers citing two copies of one paragraph (the same text in two
                          articles, as republished wire copy): must be 0
  byStyle                 the same per question "style"; follow-ups (a "context" string or list of
                          earlier questions) are asked after their earlier questions, and again
                          alone for the without-context figures
Methods: "bm25", "dense" (answer() with that retrieval), "${PROJECT}" (answer() as the bot runs
it: hybrid), "langchain" (RecursiveCharacterTextSplitter 1000/200 + HNSWLib.fromDocuments with
the same embeddings; top chunks mapped to the paragraphs they overlap; answer-in-quote uses the
top chunk's text; no verbatim or abstention figures).
--json prints { methods: { NAME: { "hits@1", "hits@4", "hits@10", "mrr@10", answerInQuote,
  verbatim, abstain: { precision, recall, answeredRate, balancedAccuracy }, useful,
  confidentlyWrong, tiers: { answered, closest, notFound }, byStyle: { STYLE: {...the same} },
  followUps: { withContext, withoutContext } | null } }, project: "${PROJECT}", questions,
  articles, seconds }
Progress goes to stderr. EMBED_WORKERS sets the embedding threads used for ingest.`,
  );

interface Args {
  articles: string[];
  questions: string;
  dataDir?: string;
  limit?: number;
  seed: number;
  split: "dev" | "test" | "all";
  methods?: typeof METHODS;
  json: boolean;
}

function methodList(value: string): typeof METHODS {
  const names = value.split(",").map((m) => m.trim());
  const unknown = names.filter((n) => !METHODS.some((m) => m.name === n));
  if (unknown.length > 0 || names.length === 0) throw new InvalidArgumentError(`takes a comma-separated subset of ${METHODS.map((m) => m.name).join(",")}, not "${value}".`);
  return METHODS.filter((m) => names.includes(m.name));
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  if (process.argv[2] === "claims") {
    // `npm run eval -- claims [options]`: claim checking, scored per verdict (scripts/claims.ts).
    process.argv.splice(2, 1);
    await import("./claims.ts");
    return;
  }
  if (process.argv[2] === "attribution") {
    // `npm run eval -- attribution [options]`: whose words each quote is, on hand-labelled sentences.
    process.argv.splice(2, 1);
    await import("./attribution.ts");
    return;
  }
  const options = parseCommandLine<Args>(program);
  const args = { ...options, methods: options.methods ?? METHODS };
  const started = performance.now();

  const articles = loadArticles(args.articles);
  const all = loadQuestions(args.questions);
  checkEvidence(all, articles);
  const pool = args.split === "all" ? all : all.filter((q) => splitOf(q.id) === args.split);
  const questions = args.limit !== undefined ? sample(pool, args.limit, args.seed) : pool;
  log(`${articles.length} articles, ${questions.length} of ${all.length} questions${args.limit !== undefined && args.limit < all.length ? ` (sample, seed ${args.seed})` : ""}`);

  const tempDir = args.dataDir ? null : mkdtempSync(path.join(tmpdir(), "nq-eval-"));
  const dataDir = args.dataDir ?? tempDir!;
  const config = loadCoreConfig(process.env, { dataDir });
  const provider = await createEmbeddingProvider(config.embeddings);
  const lib = await openLibrary({ dataDir, provider, env: process.env, warn: log });
  try {
    await ingestDataset(lib, articles, args.articles);
    const paragraphText = verifyStored(lib, articles);

    const baseline = args.methods.some((m) => m.method === "langchain") ? await buildBaseline(dataDir, provider, articles, paragraphText) : null;

    const results: Record<string, MethodMetrics> = {};
    const followUps: Record<string, { withContext: MethodMetrics; withoutContext: MethodMetrics }> = {};
    const msPerQuestion: Record<string, number> = {};
    const accumulators: Record<string, MethodAccumulator> = {};
    let errors = 0;
    for (const { name, method } of args.methods) {
      const acc = new MethodAccumulator();
      const withContext = new MethodAccumulator(false);
      const withoutContext = new MethodAccumulator(false);
      const progress = countProgress(`Asking (${name})`, questions.length);
      const t = performance.now();
      for (let i = 0; i < questions.length; i++) {
        const q = questions[i]!;
        try {
          if (method === "langchain") acc.add(q, await langchainOutcome(baseline!, q));
          else if (q.context.length > 0) {
            // A follow-up: the earlier questions are asked first, as the member asked them.
            const turns: ConversationTurn[] = [];
            for (const earlier of q.context) turns.push({ question: earlier, answer: await lib.answer(earlier, { method, context: turns }) });
            const outcome = projectOutcome(await lib.answer(q.question, { method, context: turns }), paragraphText);
            acc.add(q, outcome);
            withContext.add(q, outcome);
            withoutContext.add(q, projectOutcome(await lib.answer(q.question, { method }), paragraphText));
          } else acc.add(q, projectOutcome(await lib.answer(q.question, { method }), paragraphText));
        } catch (error) {
          errors++;
          if (errors <= 5) log(`${q.where}: ${name} failed: ${(error as Error).message}`);
          acc.add(q, { ranked: [], answerText: "", status: method === "langchain" ? null : "not_found", verbatim: null });
        }
        progress.tick(i + 1);
      }
      progress.done();
      msPerQuestion[name] = (performance.now() - t) / Math.max(1, questions.length);
      results[name] = acc.metrics();
      accumulators[name] = acc;
      if (withContext.counts.questions > 0) followUps[name] = { withContext: withContext.metrics(), withoutContext: withoutContext.metrics() };
    }
    if (errors > 0) log(`${errors} questions failed (counted as misses).`);

    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (args.json) {
      const methods = Object.fromEntries(
        Object.entries(results).map(([k, v]) => [
          k,
          { ...roundMetrics(v), followUps: followUps[k] ? { withContext: roundMetrics(followUps[k].withContext), withoutContext: roundMetrics(followUps[k].withoutContext) } : null },
        ]),
      );
      process.stdout.write(`${JSON.stringify({ methods, project: PROJECT, questions: questions.length, articles: articles.length, seconds }, null, 2)}\n`);
    } else {
      process.stdout.write(`${render(results, accumulators, msPerQuestion, questions, articles, seconds)}\n`);
      const styles = renderStyles(results, followUps);
      if (styles) process.stdout.write(`\n${styles}\n`);
    }
    const verbatim = results[PROJECT]?.verbatim;
    if (verbatim !== null && verbatim !== undefined && verbatim < 1) log("WARNING: some quotes were not found at their recorded offsets (verbatim < 100%).");
  } finally {
    await lib.close();
    await provider.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function buildBaseline(dataDir: string, provider: EmbeddingProvider, articles: DatasetArticle[], paragraphText: (articleId: string, paragraph: number) => string | null): Promise<LangchainBaseline> {
  const baselineArticles = articles.map((a) => ({ id: a.id, paragraphs: a.paragraphs.map((_, i) => paragraphText(a.id, i + 1)!) }));
  const t0 = performance.now();
  log("LangChain baseline: splitting and embedding chunks (HNSWLib.fromDocuments)...");
  const { baseline, fromCache } = await LangchainBaseline.cached(path.join(dataDir, "eval-langchain"), baselineKey(provider.id, baselineArticles), baselineArticles, provider.embeddings);
  log(`LangChain baseline: ${baseline.chunks} chunks ${fromCache ? "loaded from cache" : `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`}`);
  return baseline;
}

async function ingestDataset(lib: Library, articles: DatasetArticle[], files: string[]): Promise<void> {
  const sources = files.flatMap((file) => jsonlSourceFiles(articles.filter((a) => a.where.startsWith(`${file}:`)).map((a) => a.record), file));
  const progress = progressReporter("Ingesting");
  const summary = await lib.ingest(sources, { onProgress: progress.update });
  progress.done();
  log(`Ingest: ${summary.added.length} added, ${summary.replaced.length} replaced, ${summary.unchanged.length} unchanged, ${summary.failed.length} failed; ${summary.embeddedSentences} sentences embedded, ${summary.cachedSentences} from cache; ${(summary.ms / 1000).toFixed(1)} s`);
  if (summary.failed.length > 0) {
    for (const f of summary.failed.slice(0, 10)) log(`  ${f.where}: ${f.reason}`);
    throw new DatasetError(`${summary.failed.length} articles could not be ingested; the evaluation needs all of them.`);
  }
}

/**
 * The scores compare dataset paragraph indexes with stored paragraph numbers, so the store must
 * hold every article with the same paragraphs. Returns a lookup of stored paragraph text (1-based).
 */
function verifyStored(lib: Library, articles: DatasetArticle[]): (articleId: string, paragraph: number) => string | null {
  const texts = new Map<string, string[]>();
  const problems: string[] = [];
  for (const a of articles) {
    const first = lib.paragraph(a.id, 1);
    const n = first?.[0]?.of ?? 0;
    if (!first?.[0]) {
      problems.push(`${a.where}: article "${a.id}" is not in the store under that id`);
      continue;
    }
    const stored: string[] = [];
    for (let p = 1; p <= n; p++) stored.push(lib.paragraph(a.id, p)?.[0]?.text ?? "");
    if (n !== a.paragraphs.length) problems.push(`${a.where}: article "${a.id}" has ${a.paragraphs.length} paragraphs in the dataset but ${n} in the store`);
    else {
      // Ingest stores text cleaned (whitespace collapsed, NFC, invisible characters removed).
      const i = a.paragraphs.findIndex((t, k) => cleanText(t) !== stored[k]);
      if (i >= 0) problems.push(`${a.where}: article "${a.id}" paragraph_index ${i} differs from stored paragraph ${i + 1}`);
    }
    texts.set(a.id, stored);
  }
  if (problems.length > 0) {
    throw new DatasetError(`The store does not hold the dataset's paragraphs as given, so evidence cannot be scored:\n${problems.slice(0, 10).map((p) => `  ${p}`).join("\n")}${problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : ""}`);
  }
  const extra = lib.articles().length - articles.length;
  if (extra > 0) log(`Note: the store holds ${extra} articles besides the dataset's; they compete in retrieval.`);
  return (id, p) => texts.get(id)?.[p - 1] ?? null;
}

function projectOutcome(answer: Answer, paragraphText: (articleId: string, paragraph: number) => string | null): Outcome {
  let ok = 0;
  for (const q of answer.quotes) if (isVerbatim(q, paragraphText(q.articleId, q.paragraph))) ok++;
  const cited = answer.citations.map((c) => paragraphText(c.articleId, c.paragraph));
  return {
    ranked: answer.ranked,
    answerText: answer.quotes.map((q) => q.text).join(" "),
    status: answer.status,
    verbatim: { checked: answer.quotes.length, ok },
    duplicateCitation: new Set(cited).size < cited.length,
  };
}

async function langchainOutcome(baseline: LangchainBaseline, q: DatasetQuestion): Promise<Outcome> {
  const { ranked, topChunk } = await baseline.search(q.question);
  return { ranked, answerText: topChunk, status: null, verbatim: null };
}

function render(
  results: Record<string, MethodMetrics>,
  acc: Record<string, MethodAccumulator>,
  ms: Record<string, number>,
  questions: DatasetQuestion[],
  articles: DatasetArticle[],
  seconds: number,
): string {
  const rows = Object.entries(results).map(([name, m]) => [
    name === PROJECT ? `${name} (hybrid)` : name,
    pct(m["hits@1"]),
    pct(m["hits@4"]),
    pct(m["hits@10"]),
    pct(m["mrr@10"]),
    pct(m.answerInQuote),
    pct(m.verbatim),
    pct(m.abstain.precision),
    pct(m.abstain.recall),
    pct(m.abstain.answeredRate),
    pct(m.abstain.balancedAccuracy),
    pct(m.useful),
    pct(m.confidentlyWrong),
    pct(m.duplicateCitations ?? null),
    num(ms[name], 1),
  ]);
  const c = acc[PROJECT]!.counts;
  return [
    table(["method", "Hits@1", "Hits@4", "Hits@10", "MRR@10", "ans-in-quote", "verbatim", "NF prec", "NF recall", "answered", "bal.acc", "useful", "conf.wrong", "dup.cites", "ms/q"], rows),
    "",
    `Rates in %. ${questions.length} questions (${c.answerable} answerable, ${c.unanswerable} unanswerable; ${c.withEvidence} with evidence), ${articles.length} articles, ${seconds} s.`,
    `NF = not answered (closest or not_found) on unanswerable questions; answered = answered-rate on answerable ones; bal.acc = mean of NF recall and answered.`,
    `useful = answerable with a gold answer in the quotes shown (answered or closest); conf.wrong = answered-tier replies without a gold answer; dup.cites = answers citing two copies of one paragraph (must be 0). n/a = not measurable or not applicable.`,
    `${c.quotesChecked} quotes checked for verbatim (${PROJECT}).`,
  ].join("\n");
}

/** Per style, for every method that has styles: Hits@1, useful, answered, not-answered on unanswerable. */
function renderStyles(results: Record<string, MethodMetrics>, followUps: Record<string, { withContext: MethodMetrics; withoutContext: MethodMetrics }>): string {
  const rows: string[][] = [];
  for (const [name, m] of Object.entries(results)) {
    for (const [style, x] of Object.entries(m.byStyle ?? {})) {
      rows.push([name, style, pct(x["hits@1"]), pct(x.answerInQuote), pct(x.useful), pct(x.abstain.answeredRate), pct(x.abstain.recall), pct(x.confidentlyWrong)]);
    }
    const f = followUps[name];
    if (f) rows.push([name, "followup without context", pct(f.withoutContext["hits@1"]), pct(f.withoutContext.answerInQuote), pct(f.withoutContext.useful), pct(f.withoutContext.abstain.answeredRate), "", pct(f.withoutContext.confidentlyWrong)]);
  }
  if (rows.length === 0) return "";
  return table(["method", "style", "Hits@1", "ans-in-quote", "useful", "answered", "NF recall", "conf.wrong"], rows);
}

main().catch((error: unknown) => {
  if (error instanceof DatasetError) {
    log(error.message);
    process.exit(2);
  }
  log(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
