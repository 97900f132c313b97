/**
 * Load benchmark of the Discord face: `npm run bench -- load [options]` (see --help).
 *
 * The real bot (`npm start` with DISCORD_TOKEN and DISCORD_API_URL, the production code path, in a
 * child process; or, with --in-process, startBot() in this one) runs against the project's fake
 * Discord on 127.0.0.1 (tools/fake-discord/), over a library holding the seed story and a
 * slice of SQuAD articles. It sends a burst of concurrent /ask interactions, then a
 * sustained rate, and measures each from the moment the interaction is created to the moment the
 * answer edit arrives at the fake. Everything is bounded in count and time, and nothing leaves
 * 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measurementCommand, numberWithin, parseCommandLine } from "../src/eval/command-line.ts";
import type { BotConfig } from "../src/discord/config.ts";
import { startBot } from "../src/discord/bot.ts";
import { createLogger } from "../src/discord/log.ts";
import { openLibrary } from "../src/library.ts";
import { startFakeDiscord, type FakeDiscord, type FakeUser, type InteractionHandle } from "../tools/fake-discord/server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SEED = path.join(ROOT, "data/articles/000_ff91c482c5c7be67.txt");
const DEFAULT_ARTICLES = path.resolve(ROOT, "../shared/datasets/squad-v1.1-dev/articles.jsonl");
const SEED_QUESTIONS = ["What did Peskov say about publicity?", "Who met in Moscow?", "What is the weather in Lisbon?"];

const program = measurementCommand(
  "npm run bench -- load",
  "Starts the fake Discord on 127.0.0.1 and the bot as `npm start` in a child process (DISCORD_TOKEN, DISCORD_API_URL " +
    "pointing at the fake, ASK_RATE_LIMIT=off) over a temporary library (the seed story + the first N SQuAD articles, " +
    "ingested by `npm run ingest` in a child process), then sends a burst of concurrent /ask interactions, all at once, " +
    "and then a sustained rate. Latency = interaction created -> answer edit received by the fake. Reports throughput, " +
    "p50/p95/p99 and max latency, time to the deferral (Discord's 3 s deadline), errors (no answer, an apology, a request " +
    "the fake rejected: must be 0) and the bot process's peak RSS (VmHWM).",
)
  .usage("[options]     (or: npm run bench:load -- [options])")
  .option("--articles <file>", "articles.jsonl", DEFAULT_ARTICLES)
  .option("--limit-articles <n>", "first N articles of it", numberWithin(0, 10_000), 8)
  .option("--questions <file>", "questions.jsonl matching the articles (default: questions.jsonl beside --articles)")
  .option("--burst <n>", "concurrent questions (at most 500)", numberWithin(0, 500), 50)
  .option("--rate <r>", "questions per second afterwards (at most 100)", numberWithin(0, 100), 10)
  .option("--seconds <s>", "how long the sustained phase lasts (at most 300)", numberWithin(0, 300), 20)
  .option("--timeout-ms <ms>", "an answer later than this counts as an error", numberWithin(1_000, 600_000), 30_000)
  .option("--data-dir <dir>", "use (and keep) this data directory; an unchanged corpus is not re-ingested")
  .option("--in-process", "run the bot in this process (shares the event loop with the fake Discord and the load generator; peak RSS is then of all three)", false)
  .option("--web", "run the staff web face in the bot process too (WEB_PORT on 127.0.0.1, a WEB_TOKEN), as WEB_PORT does in production", false)
  .option("--web-rate <r>", "with --web: staff page requests per second during the load (search, article, answer and list pages; 0: the face idles)", numberWithin(0, 50), 5)
  .option("--json", "print the figures as JSON on stdout", false);

interface Options {
  articles: string;
  limitArticles: number;
  questions?: string;
  burst: number;
  rate: number;
  seconds: number;
  timeoutMs: number;
  dataDir?: string;
  inProcess: boolean;
  web: boolean;
  webRate: number;
  json: boolean;
}

interface Sample {
  phase: "burst" | "sustained";
  question: string;
  createdAt: number;
  deferredMs: number | null;
  answeredMs: number | null;
  error: string | null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const values = parseCommandLine<Options>(program);
  const articlesFile = path.resolve(values.articles);
  const questionsFile = path.resolve(values.questions ?? path.join(path.dirname(articlesFile), "questions.jsonl"));
  const { limitArticles: limit, burst, rate, seconds, timeoutMs } = values;
  const log = (m: string) => process.stderr.write(`${m}\n`);

  // ---- the library: seed + a slice, ingested by the real CLI in a child process ----------------
  const lines = readFileSync(articlesFile, "utf8").split("\n").filter((l) => l.trim() !== "").slice(0, limit);
  const articleIds = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
  const questions = [...SEED_QUESTIONS];
  if (existsSync(questionsFile)) {
    for (const l of readFileSync(questionsFile, "utf8").split("\n")) {
      if (!l.trim()) continue;
      const q = JSON.parse(l) as { question: string; context?: { article_id?: string } };
      if (q.context?.article_id && articleIds.has(q.context.article_id)) questions.push(q.question);
    }
  }
  const work = mkdtempSync(path.join(tmpdir(), "nq-load-bench-"));
  const dataDir = path.resolve(values.dataDir ?? path.join(work, "data"));
  const slice = path.join(work, "slice.jsonl");
  writeFileSync(slice, lines.join("\n") + "\n");
  log(`Ingesting the seed story and ${lines.length} articles into ${dataDir}...`);
  const ingestStarted = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/cli/ingest.ts"), "--data-dir", dataDir, SEED, slice], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`the ingest exited with code ${code}`);
  }
  const ingestMs = Date.now() - ingestStarted;

  if (values.web && values.inProcess) throw new Error("--web runs the web face in the bot's own process: use it without --in-process");
  const web = values.web ? { port: await freePort(), token: randomBytes(18).toString("hex"), rate: values.webRate, articleIds: [...articleIds] } : null;
  const fake = await startFakeDiscord({ waitTimeoutMs: timeoutMs });
  let bot: RunningBot | null = null;
  try {
    bot = values.inProcess ? await inProcessBot(dataDir, fake, timeoutMs, log) : await childBot(dataDir, fake, log, web);
    await measure(bot, fake, { questions, burst, rate, seconds, timeoutMs, json: values.json === true, inProcess: values.inProcess === true, log, corpus: { articles: lines.length, file: articlesFile, ingestMs }, web });
  } finally {
    await bot?.stop();
    await fake.close();
    // The temporary folder (slice, and the data dir unless --data-dir named one elsewhere).
    rmSync(work, { recursive: true, force: true });
  }
}

interface MeasureOptions {
  questions: string[];
  burst: number;
  rate: number;
  seconds: number;
  timeoutMs: number;
  json: boolean;
  inProcess: boolean;
  log: (m: string) => void;
  corpus: { articles: number; file: string; ingestMs: number };
  web: WebLoad | null;
}

interface WebLoad {
  port: number;
  token: string;
  /** Page requests per second while the questions run. */
  rate: number;
  articleIds: string[];
}

/** Any port free on 127.0.0.1 now, for the bot's WEB_PORT. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Staff reading pages while members ask: an open-loop stream of page requests at `rate` per second
 * until stop(), cycling through search (which runs answer() in the bot), article, answer and list
 * pages. Answer pages use the receipt ids the bot put under its answers.
 */
function pageStream(w: WebLoad, questions: string[], receipts: string[]) {
  const latencies: number[] = [];
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  let stopped = false;
  const request = async (page: string) => {
    const started = Date.now();
    try {
      const res = await fetch(`http://127.0.0.1:${w.port}${page}`, { headers: { authorization: `Bearer ${w.token}` } });
      await res.text();
      if (res.status !== 200) failures.push(`GET ${page}: ${res.status}`);
      else latencies.push(Date.now() - started);
    } catch (error) {
      failures.push(`GET ${page}: ${(error as Error).message}`);
    }
  };
  const next = () => {
    const i = n++;
    const kind = i % 4;
    if (kind === 0) return `/search?q=${encodeURIComponent(questions[i % questions.length]!)}`;
    if (kind === 1) return `/articles/${encodeURIComponent(w.articleIds[i % w.articleIds.length]!)}`;
    if (kind === 2 && receipts.length) return `/answers/${receipts[i % receipts.length]}`;
    return ["/gaps", "/feedback", "/corrections", "/feeds"][i % 4]!;
  };
  const loop = (async () => {
    const started = Date.now();
    for (let i = 0; w.rate > 0 && !stopped; i++) {
      const due = started + (i * 1000) / w.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      if (stopped) break;
      const p = request(next());
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([...inFlight]);
      const sorted = [...latencies].sort((a, b) => a - b);
      return { requests: latencies.length + failures.length, ratePerSec: w.rate, failures: failures.length, failureExamples: failures.slice(0, 5), p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
    },
  };
}

async function measure(bot: RunningBot, fake: FakeDiscord, o: MeasureOptions): Promise<void> {
  const { questions, burst, rate, seconds, timeoutMs, log } = o;
  // Warm-up outside the measurement: the first question loads the model for query embedding.
  await fake.slash(fake.user({ username: "warm-up" }), "ask", { question: questions[0]! }).waitForEdit(undefined, 60_000);
  fake.clearRecords();

  const users: FakeUser[] = Array.from({ length: 25 }, (_, i) => fake.user({ username: `reader${i}` }));
  const samples: Sample[] = [];
  const receipts: string[] = [];
  let n = 0;

  const ask = async (phase: Sample["phase"]): Promise<void> => {
    const question = questions[n % questions.length]!;
    const user = users[n % users.length]!;
    n++;
    const sample: Sample = { phase, question, createdAt: Date.now(), deferredMs: null, answeredMs: null, error: null };
    samples.push(sample);
    let h: InteractionHandle;
    try {
      h = fake.slash(user, "ask", { question });
    } catch (error) {
      sample.error = `could not send: ${(error as Error).message}`;
      return;
    }
    void h.waitForCallback(undefined, timeoutMs).then(
      (c) => (sample.deferredMs = c.at - sample.createdAt),
      () => {},
    );
    try {
      const edit = await h.waitForEdit(undefined, timeoutMs);
      const reply = h.replies.find((r) => r.kind === "edit");
      sample.answeredMs = (reply?.at ?? Date.now()) - sample.createdAt;
      const text = `${edit.content ?? ""} ${JSON.stringify(edit.embeds ?? [])}`;
      const receipt = /receipt (R-[0-9A-Z]{6})/.exec(text)?.[1];
      if (receipt) receipts.push(receipt);
      if (/something went wrong|error id|faster than I can keep up/i.test(text)) sample.error = `the bot replied: ${text.slice(0, 120)}`;
      else if ((edit.embeds ?? []).length === 0 && !(edit.content ?? "").trim()) sample.error = "empty answer";
    } catch (error) {
      sample.error = `no answer within ${timeoutMs} ms (${(error as Error).message.split("\n")[0]})`;
    }
  };

  const pages = o.web ? pageStream(o.web, questions, receipts) : null;
  if (o.web) log(`Web face on 127.0.0.1:${o.web.port}: ${o.web.rate} page requests/s throughout.`);
  log(`Burst: ${burst} concurrent /ask...`);
  const burstStarted = Date.now();
  await Promise.all(Array.from({ length: burst }, () => ask("burst")));
  const burstMs = Date.now() - burstStarted;

  log(`Sustained: ${rate}/s for ${seconds} s...`);
  const sustained: Promise<void>[] = [];
  const sustainedStarted = Date.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = sustainedStarted + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    sustained.push(ask("sustained"));
  }
  await Promise.all(sustained);
  const sustainedMs = Date.now() - sustainedStarted;
  const web = pages ? await pages.stop() : null;
  const peakRss = bot.peakRss();
  const rejected = [
    ...fake.unhandled.map((r) => `unhandled ${r.method} ${r.path}`),
    ...fake.invalid.map((i) => `rejected ${i.request.method} ${i.request.path}: ${i.errors.map((e) => e.message).join("; ")}`),
    ...fake.errors.map((e) => `fake error: ${String(e)}`),
  ];

  const phase = (name: Sample["phase"] | "all", ms: number) => {
    const s = samples.filter((x) => name === "all" || x.phase === name);
    const ok = s.filter((x) => x.answeredMs !== null && !x.error);
    const lat = ok.map((x) => x.answeredMs!).sort((a, b) => a - b);
    const deferred = s.filter((x) => x.deferredMs !== null).map((x) => x.deferredMs!).sort((a, b) => a - b);
    return {
      questions: s.length,
      answered: ok.length,
      errors: s.filter((x) => x.error).length,
      seconds: round(ms / 1000, 2),
      throughputPerSec: round(ok.length / (ms / 1000), 1),
      p50Ms: round(percentile(lat, 50)),
      p95Ms: round(percentile(lat, 95)),
      p99Ms: round(percentile(lat, 99)),
      maxMs: round(lat[lat.length - 1] ?? NaN),
      deferP95Ms: round(percentile(deferred, 95)),
      deferMaxMs: round(deferred[deferred.length - 1] ?? NaN),
    };
  };
  const result = {
    corpus: { articles: o.corpus.articles + 1, file: path.relative(ROOT, o.corpus.file), ingestMs: o.corpus.ingestMs },
    questionsAvailable: questions.length,
    cores: availableParallelism(),
    burst: phase("burst", burstMs),
    sustained: { ...phase("sustained", sustainedMs), targetPerSec: rate },
    web,
    errors: samples.filter((s) => s.error).length + rejected.length + (web?.failures ?? 0),
    errorExamples: [...samples.filter((s) => s.error).map((s) => `${s.phase} "${s.question}": ${s.error}`), ...rejected, ...(web?.failureExamples ?? [])].slice(0, 10),
    bot: o.inProcess ? "in-process" : "child process (npm start)",
    peakRssMB: peakRss === null ? null : round(peakRss / 2 ** 20, 0),
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const row = (label: string, p: ReturnType<typeof phase>) =>
      `${label.padEnd(22)} ${String(p.questions).padStart(5)} ${String(p.errors).padStart(6)} ${String(p.throughputPerSec).padStart(8)}/s ${String(p.p50Ms).padStart(8)} ${String(p.p95Ms).padStart(8)} ${String(p.p99Ms).padStart(8)} ${String(p.maxMs).padStart(8)} ${String(p.deferMaxMs).padStart(9)}`;
    process.stdout.write(
      [
        `Corpus: seed + ${o.corpus.articles} articles of ${result.corpus.file} (ingested in ${round(o.corpus.ingestMs / 1000)} s); ${result.cores} cores; bot: ${result.bot}; web face: ${web ? `on, ${web.ratePerSec} page requests/s` : "off"}.`,
        `${"phase".padEnd(22)} ${"asked".padStart(5)} ${"errors".padStart(6)} ${"answers".padStart(10)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)} ${"defer max".padStart(9)}`,
        row(`burst of ${burst}`, result.burst),
        row(`sustained ${rate}/s x ${seconds}s`, result.sustained),
        ...(web ? [`Staff pages during the load: ${web.requests} requests, p50 ${web.p50Ms} ms, p95 ${web.p95Ms} ms, max ${web.maxMs} ms, ${web.failures} failed.`] : []),
        `Errors: ${result.errors}${result.errorExamples.length ? `\n  ${result.errorExamples.join("\n  ")}` : ""}`,
        o.inProcess
          ? `Peak RSS: ${result.peakRssMB} MB (bot + fake Discord + load generator in one process).`
          : `Peak RSS of the bot process: ${result.peakRssMB ?? "unknown (no /proc)"} MB.`,
        "",
      ].join("\n"),
    );
  }
  process.exitCode = result.errors === 0 ? 0 : 1;
}

interface RunningBot {
  stop(): Promise<void>;
  /** Peak resident memory of the bot's process, in bytes (null where it cannot be read). */
  peakRss(): number | null;
}

/** \`npm start\` as production runs it, with the fake Discord as its API. */
async function childBot(dataDir: string, fake: FakeDiscord, log: (m: string) => void, web: WebLoad | null): Promise<RunningBot> {
  const env = {
    ...process.env,
    // Off unless asked for, so that a WEB_PORT in the caller's .env cannot blur the comparison.
    WEB_PORT: web ? String(web.port) : "",
    WEB_HOST: "127.0.0.1",
    WEB_TOKEN: web?.token ?? "",
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    ASK_RATE_LIMIT: "off",
    LOG_LEVEL: "warn",
  };
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/cli/start.ts"), "--data-dir", dataDir], { env, stdio: ["ignore", "pipe", "pipe"] });
  const relay = (d: Buffer) => log(`bot: ${d.toString().trimEnd()}`);
  child.stdout!.on("data", relay);
  child.stderr!.on("data", relay);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const deadline = Date.now() + 60_000;
  while (!fake.commands.some((c) => c.name === "ask")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("the bot did not start (see its output above)");
    }
    await sleep(50);
  }
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
    peakRss() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
  };
}

/** startBot() in this process: quicker to start, but it shares this process's event loop. */
async function inProcessBot(dataDir: string, fake: FakeDiscord, timeoutMs: number, log: (m: string) => void): Promise<RunningBot> {
  const library = await openLibrary({ dataDir, warn: log });
  const config: BotConfig = {
    token: fake.token,
    guilds: [fake.guildId],
    otherServers: "leave",
    apiUrl: fake.apiUrl,
    moderatorRoles: { all: [], byGuild: {} },
    staffRoles: { all: [], byGuild: {} },
    mentions: false,
    messageContent: false,
    rateLimit: null,
    lookupRateLimit: null,
    logLevel: "warn",
    attachmentMaxBytes: 1024 * 1024,
    attachmentTimeoutMs: 5_000,
    allowPrivateAttachmentHosts: false,
    gapsDigestChannel: null,
    feedsAnnounceChannel: null,
    feedsReportChannel: null,
  };
  const botLog = createLogger({ level: "warn", sink: (line) => log(`bot: ${line}`), secrets: [config.token] });
  const bot = await startBot({
    library,
    config,
    log: botLog,
    clientOptions: { rest: { globalRequestsPerSecond: 1e6 }, ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } },
    drainTimeoutMs: timeoutMs,
  });
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    async stop() {
      clearInterval(timer);
      await bot.stop();
      await library.close();
    },
    peakRss: () => Math.max(peak, process.memoryUsage().rss),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
