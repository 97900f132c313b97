/**
 * The bot as production runs it: the launch command of the Dockerfile and the systemd unit (plain
 * node, tsx as a loader), in a child process against the fake Discord. SIGTERM, to the process or
 * to its whole process group (as systemd does), during a burst of /ask: every member is answered,
 * the shutdown is logged step by step, exit 0. A second bot on the same data dir is refused. The
 * health endpoint and the image's health check say when it is ready; LOG_FORMAT=json makes every
 * line JSON; an unreachable Discord is retried until it answers.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { quotesOf } from "../support/bot.ts";
import { freePort, tcpRelay } from "../support/net.ts";
import { ROOT, runNode } from "../reliability/support.ts";

const SEED = path.join(ROOT, "data/articles/000_ff91c482c5c7be67.txt");
const PESKOV = "What did Peskov say about publicity?";

/** The launch commands of the deploy files, which the tests below run. */
const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
const unit = readFileSync(path.join(ROOT, "deploy/newsroom-quotes.service"), "utf8");
const dockerCmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
const unitCmd = /^ExecStart=(.*)$/m.exec(unit)![1]!.split(" ");
const healthCheckCmd = JSON.parse(/^HEALTHCHECK .*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];

let work: string;
/** A data dir with the seed story, ingested once by the real CLI; each test copies it. */
let golden: string;
let counter = 0;
const children: ChildProcess[] = [];
const fakes: FakeDiscord[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "nq-production-"));
  golden = path.join(work, "golden");
  const r = await runNode("src/cli/ingest.ts", ["--data-dir", golden, SEED]);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  }
  for (const fake of fakes.splice(0)) await fake.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dataDir(): string {
  const dir = path.join(work, `data-${++counter}`);
  cpSync(golden, dir, { recursive: true });
  return dir;
}

interface RunningBot {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The Dockerfile's CMD from the project root, `node` being this Node; in its own process group
 * (as under systemd or in a container), with a clean environment.
 */
function startBot(env: Record<string, string>): RunningBot {
  const [node, ...args] = dockerCmd;
  expect(node).toBe("node");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH, HOME: work, EMBED_WORKERS: "0", ASK_RATE_LIMIT: "off", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function waitForOutput(bot: RunningBot, pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(bot.output())) {
    if (Date.now() > deadline || bot.child.exitCode !== null) throw new Error(`no ${pattern} in the bot's output\n--- bot output ---\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Commands registered and the start-up logged: the bot is listening. */
async function waitForCommands(fake: FakeDiscord, bot: RunningBot): Promise<void> {
  await waitForOutput(bot, /Commands \/ask .* registered/);
  expect(fake.commands.map((c) => c.name)).toContain("ask");
}

async function exitOf(bot: RunningBot, timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      bot.exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs / 1000} s\n--- bot output ---\n${bot.output()}`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const SHUTDOWN_STEPS = /SIGTERM received: shutting down\.[\s\S]*Disconnected from Discord\.[\s\S]*Store closed\.[\s\S]*Writer lock released\. Bye\./;

/**
 * A burst of /ask from different members; SIGTERM (via `kill`) once the bot has acknowledged every
 * one, while answers are still being worked out. Every member must get the answer.
 */
async function burstThenSigterm(fake: FakeDiscord, bot: RunningBot, kill: () => void, n = 30): Promise<{ answeredBeforeSignal: number }> {
  const handles = Array.from({ length: n }, (_, i) => fake.slash(fake.user({ username: `reader${i}` }), "ask", { question: PESKOV }));
  await Promise.all(handles.map((h) => h.waitForCallback(undefined, 10_000)));
  const answeredBeforeSignal = handles.filter((h) => h.edits.length > 0).length;
  kill();
  const edits = await Promise.all(handles.map((h) => h.waitForEdit(undefined, 60_000)));
  for (const edit of edits) expect(quotesOf(edit.embeds?.[0])[0]?.text).toContain("excessive publicity could hinder progress");
  expect((await exitOf(bot)).code).toBe(0);
  return { answeredBeforeSignal };
}

describe("the production launch command", () => {
  it("is the same plain-node command in the Dockerfile and the systemd unit, and no npm", () => {
    expect(dockerCmd).toEqual(["node", "--import", "tsx", "src/cli/start.ts"]);
    expect(unitCmd).toEqual(["/usr/bin/node", ...dockerCmd.slice(1)]);
    expect(unit).toMatch(/^WorkingDirectory=\/opt\/newsroom-quotes$/m);
    expect(unit).toMatch(/^TimeoutStopSec=45$/m);
    expect(readFileSync(path.join(ROOT, "compose.yaml"), "utf8")).toMatch(/stop_grace_period: 45s/);
  });

  it("on SIGTERM during a burst of /ask answers everyone, logs each shutdown step and exits 0; a second bot on the same store is refused; health says ready", { timeout: 180_000 }, async () => {
    const fake = await startFakeDiscord({ waitTimeoutMs: 30_000 });
    fakes.push(fake);
    const dir = dataDir();
    const healthPort = await freePort();
    const bot = startBot({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, DATA_DIR: dir, HEALTH_PORT: String(healthPort) });
    await waitForCommands(fake, bot);

    // Ready: the endpoint and the image's own health check (run as Docker runs it) say so.
    const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok", phase: "ready", gateway: "connected", store: "open", articles: 1 });
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    const [hcNode, ...hcArgs] = healthCheckCmd;
    expect(hcNode).toBe("node");
    expect(spawnSync(process.execPath, hcArgs, { env: { HEALTH_PORT: String(healthPort) } }).status).toBe(0);

    // A second bot on the same data dir: refused before it touches the store or Discord.
    const second = startBot({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dir });
    const refused = await exitOf(second);
    expect(refused.code).toBe(2);
    expect(second.output()).toContain(`Cannot start the Discord bot: the Discord bot (pid ${bot.child.pid} on ${hostname()}, started `);
    expect(second.output()).toContain(`is already writing to the store in ${dir}`);
    expect(fake.stats.identifies).toBe(1);

    const { answeredBeforeSignal } = await burstThenSigterm(fake, bot, () => bot.child.kill("SIGTERM"));
    const output = bot.output();
    if (process.env.SHOW_BOT_LOGS) console.log(output);
    expect(output).toMatch(SHUTDOWN_STEPS);
    if (answeredBeforeSignal < 30) expect(output).toMatch(/SIGTERM received[\s\S]*Stopping: finishing \d+ requests? in flight\.\.\.[\s\S]*Disconnected from Discord/);
    expect(output).not.toMatch(/ERROR|Unexpected/);
    // Nothing listens on the health port once it has exited.
    await expect(fetch(`http://127.0.0.1:${healthPort}/readyz`)).rejects.toThrow();
    expect(spawnSync(process.execPath, hcArgs, { env: { HEALTH_PORT: String(healthPort) } }).status).toBe(1);
    fake.assertClean();
  });

  it("on SIGTERM to its whole process group (as systemd stops a unit) does the same, and with LOG_FORMAT=json every line is JSON", { timeout: 180_000 }, async () => {
    const fake = await startFakeDiscord({ waitTimeoutMs: 30_000 });
    fakes.push(fake);
    const dir = path.join(work, `fresh-${++counter}`);
    const bot = startBot({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, DATA_DIR: dir, LOG_FORMAT: "json", SEED_SAMPLE: "true" });
    await waitForCommands(fake, bot);
    await burstThenSigterm(fake, bot, () => process.kill(-bot.child.pid!, "SIGTERM"));
    const lines = bot.output().trimEnd().split("\n");
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as { time: string; level: string; msg: string };
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    for (const entry of parsed) {
      expect(Object.keys(entry)).toEqual(["time", "level", "msg"]);
      expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(["debug", "info", "warn", "error"]).toContain(entry.level);
    }
    const messages = parsed.map((p) => p.msg).join("\n");
    // The first-start sample (asked for with SEED_SAMPLE=true), its progress included.
    expect(messages).toMatch(/adding the bundled sample coverage[\s\S]*Ingesting: 1\/1 articles[\s\S]*Sample coverage: added 1/);
    expect(messages).toMatch(SHUTDOWN_STEPS);
    fake.assertClean();
  });

  it("does not add the bundled sample to a new store in bot mode unless SEED_SAMPLE=true", { timeout: 120_000 }, async () => {
    const fake = await startFakeDiscord({ waitTimeoutMs: 30_000 });
    fakes.push(fake);
    const bot = startBot({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, DATA_DIR: path.join(work, `empty-${++counter}`) });
    await waitForCommands(fake, bot);
    expect(bot.output()).toMatch(/0 articles in the coverage/);
    expect(bot.output()).toContain("SEED_SAMPLE=true would add the bundled sample story");
    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: PESKOV });
    const edit = await h.waitForEdit(undefined, 30_000);
    expect(quotesOf(edit.embeds?.[0])).toEqual([]);
    bot.child.kill("SIGTERM");
    expect((await exitOf(bot)).code).toBe(0);
  });

  it("retries with backoff while Discord is unreachable, logging each attempt, and connects once it answers", { timeout: 120_000 }, async () => {
    const fake = await startFakeDiscord({ waitTimeoutMs: 30_000 });
    fakes.push(fake);
    // The bot's REST base is a port where nothing listens yet; later a relay to the fake opens there.
    const port = await freePort();
    const healthPort = await freePort();
    const bot = startBot({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl.replace(/:\d+\//, `:${port}/`),
      DISCORD_GUILD_ID: fake.guildId,
      DATA_DIR: dataDir(),
      HEALTH_PORT: String(healthPort),
    });
    await waitForOutput(bot, /trying again in 2 s \(attempt 3 of 10\)/);
    expect(bot.output()).toMatch(/Cannot reach Discord \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); trying again in 1 s \(attempt 2 of 10\)\./);
    const unready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toMatchObject({ status: "unavailable", phase: "connecting", store: "open" });

    const relay = await tcpRelay(port, Number(new URL(fake.apiUrl).port));
    try {
      await waitForCommands(fake, bot);
      const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: PESKOV });
      expect(quotesOf((await h.waitForEdit(undefined, 30_000)).embeds?.[0])[0]?.text).toContain("excessive publicity");
      expect((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(200);
      bot.child.kill("SIGTERM");
      expect((await exitOf(bot)).code).toBe(0);
    } finally {
      await relay.close();
    }
  });
});
