import { Status } from "discord.js";
import { ConfigError, loadCoreConfig } from "../config.ts";
import type { IngestProgress, IngestSummary, Library, LibraryStats } from "../library-types.ts";
import { openLibrary, seedSampleCoverage } from "../library.ts";
import { startHealthServer, type HealthProbe, type HealthServer } from "../ops/health.ts";
import { acquireWriterLock, describeHolder, type WriterLock } from "../ops/lock.ts";
import { exponential, isNetworkFailure, withRetry } from "../ops/retry.ts";
import { onShutdownSignals } from "../ops/signals.ts";
import { StoreError } from "../library.ts";
import { startBot, type BotHandle, type StartBotOptions } from "./bot.ts";
import { loadBotConfig } from "./config.ts";
import { createLogger, type Logger } from "./log.ts";
import { loadServiceConfig } from "./service-config.ts";
import { loadWebConfig } from "../web/config.ts";
import { startWebServer, type WebServer } from "../web/server.ts";

export { startBot } from "./bot.ts";
export type { BotHandle, StartBotOptions } from "./bot.ts";

/**
 * Discord unreachable at start-up (network down, an outage): 10 attempts, the waits doubling from
 * 1 s to at most 60 s (about 4 minutes in all), then exit 1 so that the supervisor (systemd's
 * Restart=, compose's restart:) decides about later. Failures that waiting cannot fix (a rejected
 * token, refused intents) end the start at once.
 */
const CONNECT_ATTEMPTS = 10;
const CONNECT_DELAY = exponential(1000, 60_000);

/** Discord did not answer through every attempt: not a bug, and not fixable in the configuration. */
class DiscordUnreachableError extends Error {
  override name = "DiscordUnreachableError";
}

export interface RunBotOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  clientOptions?: StartBotOptions["clientOptions"];
}

/**
 * `npm start` with DISCORD_TOKEN set: takes the data directory's writer lock, opens the library,
 * optionally serves a health endpoint, connects to Discord (retrying while it is unreachable),
 * and answers until SIGINT/SIGTERM. Then, each step logged: new requests are turned away, answers
 * in flight finish, an ingest in flight stops after the chunk it is writing, the bot disconnects,
 * the store closes and the lock is released. A second signal exits at once.
 *
 * Resolves with the exit code: 0 after a signal, 2 for a problem the operator can fix (said in
 * the log), 1 otherwise. Every line goes through the logger, so LOG_FORMAT=json covers failures too.
 */
export async function runBot(options: RunBotOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const config = loadBotConfig(env);
  const service = loadServiceConfig(env);
  const webConfig = loadWebConfig(env);
  const { dataDir } = loadCoreConfig(env, { dataDir: options.dataDir });
  const log = createLogger({ level: config.logLevel, format: service.logFormat, secrets: [config.token] });
  const fatal = (what: string) => (error: unknown) => {
    log.error(`${what}; exiting`, error);
    process.exit(1);
  };
  const onUncaught = fatal("Uncaught exception");
  const onUnhandled = fatal("Unhandled promise rejection");
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUnhandled);
  const shutdown = onShutdownSignals(log);
  const started = Date.now();
  let phase: "starting" | "connecting" | "ready" | "stopping" = "starting";
  let lock: WriterLock | null = null;
  let health: HealthServer | null = null;
  let library: Library | null = null;
  let bot: BotHandle | null = null;
  let web: WebServer | null = null;

  const probe = (): HealthProbe => {
    let store: string;
    let counts: Partial<LibraryStats> = {};
    try {
      counts = library ? library.stats() : {};
      store = library ? "open" : "opening";
    } catch (error) {
      store = `unreadable: ${(error as Error).message}`;
    }
    const gateway = bot ? (bot.client.ws.shards.every((s) => s.status === Status.Ready) ? "connected" : "reconnecting") : phase === "connecting" ? "connecting" : "not connected";
    return {
      live: !store.startsWith("unreadable") || phase === "stopping",
      ready: phase === "ready" && gateway === "connected" && store === "open",
      details: { phase, gateway, store, ...counts, uptimeSeconds: Math.round((Date.now() - started) / 1000), pid: process.pid },
    };
  };

  try {
    lock = acquireWriterLock(dataDir, "the Discord bot");
    log.info(`Writer lock taken: ${lock.file} (pid ${process.pid}).`);
    if (lock.tookOverFrom) {
      log.warn(`The previous writer, ${describeHolder(lock.tookOverFrom)}, ended without releasing the lock (killed or crashed); taking over. Whatever it was writing when it ended was rolled back whole.`);
    }
    if (service.healthPort !== null) {
      health = await startHealthServer({ port: service.healthPort, host: service.healthHost, probe });
      log.info(`Health endpoint: ${health.url}/healthz (alive) and ${health.url}/readyz (connected to Discord, store open).`);
    }
    library = await openLibrary({ dataDir, env, warn: (m) => log.warn(m), stop: shutdown.stop });
    const lib = library;
    log.info(`Store open: ${lib.stats().articles} article(s) in ${dataDir}.`);
    if (webConfig.port !== null) {
      web = await startWebServer({ library: lib, config: webConfig, port: webConfig.port, host: webConfig.host, warn: (m, e) => log.error(m, e) });
      log.info(`Staff web pages: ${web.url}${lib.webLink("/") ? ` (linked as ${lib.webLink("/")}; staff get a signed link with /web)` : " (WEB_PUBLIC_URL unset: the bot gives no links to them)"}.`);
    }
    if (service.seedSample) {
      const summary = await seedSampleCoverage(lib, { onProgress: progressLog(log), notice: (m) => log.info(m) });
      if (summary) logSummary(log, "Sample coverage", summary);
    } else if (lib.stats().generation === 0) {
      log.info("The store has never held an article: moderators add coverage with /ingest (or `npm run ingest`); SEED_SAMPLE=true would add the bundled sample story.");
    }
    if (!shutdown.stop.aborted) {
      phase = "connecting";
      bot = await withRetry(() => startBot({ library: lib, config, log, clientOptions: options.clientOptions }), {
        attempts: CONNECT_ATTEMPTS,
        delayMs: CONNECT_DELAY,
        retryable: isNetworkFailure,
        stop: shutdown.stop,
        onRetry: (error, attempt, ms) => log.warn(`Cannot reach Discord (${(error as Error).message}); trying again in ${ms / 1000} s (attempt ${attempt + 1} of ${CONNECT_ATTEMPTS}).`),
      }).catch((error: unknown) => {
        if (!isNetworkFailure(error)) throw error;
        throw new DiscordUnreachableError(
          `Discord stayed unreachable through ${CONNECT_ATTEMPTS} attempts (${(error as Error).message}). Check this machine's network, DNS and firewall (the bot needs HTTPS and WebSocket access to discord.com and gateway.discord.gg); it exits so that its supervisor can start it again later.`,
        );
      });
      if (bot) {
        phase = "ready";
        await shutdown.stopped;
      }
    }
    phase = "stopping";
    await bot?.stop();
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreError || error instanceof DiscordUnreachableError) {
      log.error(error.message);
      return error instanceof DiscordUnreachableError ? 1 : 2;
    }
    log.error("Unexpected error, please report it (LOG_LEVEL=debug logs the stack)", error);
    return 1;
  } finally {
    phase = "stopping";
    // Before the store closes: no page is made from a closed store.
    await web?.close();
    if (library) {
      await library.close();
      log.info("Store closed.");
    }
    await health?.close();
    if (lock) {
      lock.release();
      log.info("Writer lock released. Bye.");
    }
    shutdown.dispose();
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUnhandled);
  }
}

/** Progress of the first-start sample ingest, as log lines at most every 5 s (and at the end). */
function progressLog(log: Logger): (p: IngestProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 5000) return;
    if (p.done === 0 && p.total > 0) return;
    last = now;
    log.info(`Ingesting: ${p.done}/${p.total} articles, ${p.words} words in ${(p.elapsedMs / 1000).toFixed(1)} s.`);
  };
}

function logSummary(log: Logger, label: string, s: IngestSummary): void {
  log.info(`${label}: added ${s.added.length}, replaced ${s.replaced.length}, unchanged ${s.unchanged.length}, failed ${s.failed.length} in ${(s.ms / 1000).toFixed(1)} s.`);
  for (const w of s.warnings) log.warn(`${label}: ${w}`);
  for (const f of s.failed) log.warn(`${label}: ${f.where} ${f.reason}`);
}
