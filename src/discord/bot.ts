import { setTimeout as delay } from "node:timers/promises";
import { Client, Events, GatewayIntentBits, Status, type ClientOptions } from "discord.js";
import { ConfigError } from "../config.ts";
import type { Library } from "../library-types.ts";
import { COMMAND_DEFINITIONS } from "./commands/index.ts";
import type { BotConfig } from "./config.ts";
import { createLimits, type BotContext } from "./context.ts";
import { Conversations } from "./conversations.ts";
import { onInteraction } from "./interactions.ts";
import { startGapsDigest, type GapsDigest } from "./gaps-digest.ts";
import { startFeedPoller, type FeedPoller } from "./feed-poller.ts";
import { createLogger, type Logger } from "./log.ts";
import { onMention } from "./mentions.ts";
import { NO_MENTIONS } from "./render.ts";
import { onJoin, setUpServers } from "./servers.ts";
import { workQueues } from "./work.ts";
import { plural } from "../common/text.ts";

/**
 * Wires a discord.js Client to a Library: the client, the lifecycle and the start-up report. What
 * each interaction does lives beside it: interactions.ts routes, commands/ hold one file per slash
 * command, button-clicks.ts and mentions.ts the rest. `startBot` logs in, registers the commands and
 * resolves once the bot is ready; `stop()` lets answers in flight finish, then disconnects (the
 * caller closes the library).
 */
export interface StartBotOptions {
  library: Library;
  config: BotConfig;
  log?: Logger;
  /** Extra discord.js options (tests: REST rate limits, identify throttling). */
  clientOptions?: Partial<ClientOptions>;
  /** How long to wait for the gateway to be ready (default 60 s). */
  readyTimeoutMs?: number;
  /** How long stop() waits for answers in flight (default 30 s). */
  drainTimeoutMs?: number;
}

export interface BotHandle {
  client: Client<true>;
  /** Names of the gateway intents requested. */
  intents: string[];
  /** Where the commands were registered: per server, or "global" when no newsroom server is configured. */
  commandScope: "servers" | "global";
  /** The weekly gaps digest, when GAPS_DIGEST_CHANNEL is set. */
  gapsDigest: GapsDigest | null;
  /** The schedule of followed feeds (`pollDue()` polls the due ones now). */
  feeds: FeedPoller;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function botIntents(config: Pick<BotConfig, "mentions" | "messageContent">): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds];
  if (config.mentions || config.messageContent) intents.push(GatewayIntentBits.GuildMessages);
  if (config.messageContent) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

export async function startBot(options: StartBotOptions): Promise<BotHandle> {
  const { library: lib, config } = options;
  const log = options.log ?? createLogger({ level: config.logLevel, secrets: [config.token] });
  const intents = botIntents(config);
  const extra = options.clientOptions ?? {};
  const client = new Client({
    ...extra,
    intents,
    allowedMentions: NO_MENTIONS,
    rest: { ...extra.rest, ...(config.apiUrl ? { api: config.apiUrl } : {}) },
  });
  let stopping = false;
  const ctx: BotContext = { lib, config, log, conversations: new Conversations(), work: workQueues(), limits: createLimits(config), stopping: () => stopping };
  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const p = work.catch((error: unknown) => log.error("unhandled error in a handler", error));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  client.on(Events.InteractionCreate, (i) => track(onInteraction(ctx, i)));
  if (config.mentions || config.messageContent) client.on(Events.MessageCreate, (m) => track(onMention(ctx, client, m)));
  client.on(Events.GuildCreate, (guild) => track(onJoin(guild, config, log)));
  client.on(Events.Error, (e) => log.error("discord.js error", e));
  client.on(Events.Warn, (w) => log.warn(`discord.js: ${w}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`gateway shard ${shard} disconnected (code ${event.code})`));
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopping) log.info(`gateway shard ${shard} reconnecting`);
  });
  client.on(Events.ShardResume, (shard, replayed) => log.info(`gateway shard ${shard} resumed (${replayed} events replayed)`));

  await login(client, config, log, options.readyTimeoutMs ?? 60_000);
  const ready = client as Client<true>;
  const intentNames = intents.map((b) => GatewayIntentBits[b]);
  const count = lib.stats().articles;
  log.info(
    `Connected as ${ready.user.tag} (${ready.user.id}) to ${plural(ready.guilds.cache.size, "server")}; ` +
      `${plural(count, "article")} in the coverage.${config.apiUrl ? ` Discord API: ${config.apiUrl} (DISCORD_API_URL, meant for testing).` : ""}`,
  );
  let commandScope: BotHandle["commandScope"];
  try {
    ({ commandScope } = await setUpServers(ready, config, log));
  } catch (error) {
    await destroy(ready);
    throw error;
  }
  reportSettings(config, log, commandScope, intentNames);
  const gapsDigest = config.gapsDigestChannel ? startGapsDigest(ctx, ready, config.gapsDigestChannel, track) : null;
  const feeds = startFeedPoller(ctx, ready, lib.feeds.intervalMs, track);

  const idle = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  let stopped: Promise<void> | null = null;
  return {
    client: ready,
    intents: intentNames,
    commandScope,
    gapsDigest,
    feeds,
    idle,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        gapsDigest?.stop();
        feeds.stop();
        if (inflight.size > 0) log.info(`Stopping: finishing ${plural(inflight.size, "request")} in flight...`);
        const drained = await Promise.race([idle().then(() => true), delay(options.drainTimeoutMs ?? 30_000, false, { ref: false })]);
        if (!drained) log.warn(`Stopping with ${inflight.size} request(s) still in flight after ${(options.drainTimeoutMs ?? 30_000) / 1000} s.`);
        await destroy(ready);
        log.info("Disconnected from Discord.");
      })();
      return stopped;
    },
  };
}

/** The start-up lines a moderator reads to know how the bot is set up. */
function reportSettings(config: BotConfig, log: Logger, commandScope: BotHandle["commandScope"], intentNames: string[]): void {
  log.info(
    `Commands /${COMMAND_DEFINITIONS.map((c) => c.name).join(" /")} registered ${commandScope === "servers" ? `to the newsroom's server${config.guilds.length === 1 ? "" : "s"} ${config.guilds.join(", ")}` : "globally (new commands can take up to an hour to appear everywhere)"}.`,
  );
  log.info(
    `Intents: ${intentNames.join(", ")}. @mention questions: ${config.mentions || config.messageContent ? "on" : "off (DISCORD_MENTIONS=false)"}; ` +
      `Message Content intent: ${config.messageContent ? "on (privileged: must be enabled in the developer portal)" : "off (not needed: Discord sends the text of messages that mention the bot)"}.`,
  );
  log.info(
    `Moderators: Manage Messages or Manage Server${config.moderatorRoles.all.length ? `, or role ${config.moderatorRoles.all.join(" / ")}` : ""}, in the newsroom's servers only. ` +
      `Rate limit: ${config.rateLimit ? `${config.rateLimit.count} questions per ${config.rateLimit.windowMs / 1000} s per member` : "off"}.`,
  );
}

/** Logs in and waits for READY, turning Discord's refusals into messages a person can act on. */
async function login(client: Client, config: BotConfig, log: Logger, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onShardError: ((error: Error) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    onShardError = (error: Error) => {
      if (/disallowed intents/i.test(error.message)) {
        reject(
          new ConfigError(
            "Discord refused the Message Content intent: enable it for the bot in the developer portal (Bot -> Privileged Gateway Intents -> Message Content), or set DISCORD_MESSAGE_CONTENT=false.",
          ),
        );
      } else if (/invalid intents/i.test(error.message)) reject(new Error(`Discord refused the gateway intents: ${error.message}`));
    };
    client.on(Events.ShardError, onShardError);
    // ETIMEDOUT: a network failure, which the start-up retries (src/discord/main.ts).
    const message = `Not connected to Discord after ${Math.round(timeoutMs / 1000)} s; check the network${config.apiUrl ? ` and DISCORD_API_URL (${config.apiUrl})` : ""}.`;
    timer = setTimeout(() => reject(Object.assign(new Error(message), { code: "ETIMEDOUT" })), timeoutMs);
  });
  try {
    await client.login(config.token).catch((error: unknown) => {
      if ((error as { code?: string }).code === "TokenInvalid") {
        throw new ConfigError("Discord rejected DISCORD_TOKEN. Copy the bot token again from the developer portal (Bot -> Reset Token) into .env.");
      }
      throw error;
    });
    await ready;
  } catch (error) {
    ready.catch(() => {});
    log.debug(`login failed: ${(error as Error).message}`);
    await client.destroy().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
    if (onShardError) client.off(Events.ShardError, onShardError);
  }
}

/** discord.js must not be destroyed between IDENTIFY and READY, so a reconnect in progress gets a moment to settle. */
async function destroy(client: Client): Promise<void> {
  const deadline = Date.now() + 3000;
  while (client.ws.shards.some((s) => s.status !== Status.Ready) && Date.now() < deadline) await delay(20);
  await Promise.race([client.destroy(), delay(5000, undefined, { ref: false })]);
}
