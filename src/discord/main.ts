import { ensureCoverage } from "../cli/chat.ts";
import { openLibrary } from "../library.ts";
import { startBot, type StartBotOptions } from "./bot.ts";
import { loadBotConfig } from "./config.ts";
import { createLogger } from "./log.ts";

export { startBot } from "./bot.ts";
export type { BotHandle, StartBotOptions } from "./bot.ts";

/**
 * `npm start` with DISCORD_TOKEN set: opens the library (filling an empty store from data/articles/),
 * connects to Discord, registers the commands and answers until SIGINT/SIGTERM; then lets answers in
 * flight finish, disconnects, closes the store and resolves. A second signal exits at once.
 */
export async function runBot(options: { dataDir?: string; env?: NodeJS.ProcessEnv; clientOptions?: StartBotOptions["clientOptions"] } = {}): Promise<void> {
  const env = options.env ?? process.env;
  const config = loadBotConfig(env);
  const log = createLogger({ level: config.logLevel, secrets: [config.token] });

  let signalled: NodeJS.Signals | null = null;
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      if (signalled) {
        log.warn(`${signal} again: exiting without waiting.`);
        process.exit(130);
      }
      signalled = signal;
      log.info(`${signal} received: shutting down.`);
      resolve(signal);
    };
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const library = await openLibrary({ dataDir: options.dataDir, env, warn: (m) => log.warn(m) });
    try {
      await ensureCoverage(library);
      if (signalled) return;
      const bot = await startBot({ library, config, log, clientOptions: options.clientOptions });
      await stopRequested;
      await bot.stop();
    } finally {
      await library.close();
      log.info("Store closed. Bye.");
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
