import { setTimeout as delay } from "node:timers/promises";
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Status,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
  type Message,
  type RepliableInteraction,
} from "discord.js";
import { checkQuestion, QuestionError } from "../answer/answer.ts";
import type { Answer } from "../answer/types.ts";
import { ConfigError } from "../config.ts";
import type { Library } from "../library-types.ts";
import { articleChoices, resolveArticle } from "./articles.ts";
import { parseCustomId, RecentAnswers } from "./buttons.ts";
import { COMMAND_DEFINITIONS, COMMANDS } from "./commands.ts";
import type { BotConfig } from "./config.ts";
import { AttachmentError, fetchAttachment } from "./fetch-attachment.ts";
import { createLogger, errorId, quoteForLog, who, type Logger } from "./log.ts";
import { isModerator, refusal } from "./moderation.ts";
import { RateLimiter, rateLimitMessage } from "./rate-limit.ts";
import { apology, HELP_TEXT, NO_MENTIONS, plain, renderAnswer, renderArticleList, renderIngestSummary, renderParagraph, type MessagePayload } from "./render.ts";

/**
 * Wires a discord.js Client to a Library: slash commands, buttons, autocomplete and @mention
 * questions. `startBot` logs in, registers the commands and resolves once the bot is ready;
 * `stop()` lets answers in flight finish, then disconnects (the caller closes the library).
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
  /** Where the commands were registered: a guild id, or "global". */
  commandScope: string;
  /** Answers kept for feedback buttons, by message id. */
  recent: RecentAnswers;
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
  const limiter = config.rateLimit ? new RateLimiter(config.rateLimit.count, config.rateLimit.windowMs) : null;
  const recent = new RecentAnswers();
  const inflight = new Set<Promise<void>>();
  let stopping = false;
  let ingestQueue: Promise<unknown> = Promise.resolve();
  /** Ingests run one at a time; answers go on meanwhile. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = ingestQueue.then(work, work);
    ingestQueue = run.catch(() => {});
    return run;
  };

  /**
   * Answers run a few at a time, each started from a fresh event-loop turn. Answering is CPU work on
   * this thread: started all at once, a burst of questions runs back to back without letting the
   * loop read the gateway or send the deferrals of newer questions, which then miss Discord's 3 s
   * deadline (150 at once left 26 members with no reply at all); and everyone waits for the whole
   * burst. A few at a time keeps remote embedding providers (network-bound) busy enough.
   */
  const ANSWERS_AT_ONCE = 4;
  let answering = 0;
  const waiting: (() => void)[] = [];
  const answerSlot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (answering >= ANSWERS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
    else answering++;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else answering--;
    }
  };

  const track = (work: Promise<void>) => {
    const p = work.catch((error: unknown) => log.error("unhandled error in a handler", error));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  // ---- failures ---------------------------------------------------------------------------------

  /** Logs the error with an id and tells the member, privately, that something went wrong. */
  async function apologize(i: RepliableInteraction, context: string, error: unknown): Promise<void> {
    const id = errorId();
    log.error(`${id} ${context}`, error);
    const payload = apology(id);
    try {
      if (i.deferred || i.replied) {
        if (i.ephemeral) await i.editReply(payload);
        else {
          // The "thinking…" message is public; replace it with a private apology.
          await i.deleteReply().catch(() => {});
          await i.followUp({ ...payload, flags: MessageFlags.Ephemeral });
        }
      } else await i.reply({ ...payload, flags: MessageFlags.Ephemeral });
    } catch (deliveryError) {
      log.warn(`${id}: could not deliver the apology (${(deliveryError as Error).message})`);
    }
  }

  const ephemeral = (payload: MessagePayload) => ({ ...payload, flags: MessageFlags.Ephemeral as const });

  // ---- interactions -----------------------------------------------------------------------------

  async function onInteraction(i: Interaction): Promise<void> {
    if (i.isAutocomplete()) return autocomplete(i);
    if (!i.isRepliable()) return;
    if (stopping) {
      await i.reply(ephemeral(plain("I'm restarting right now; please try again in a minute."))).catch(() => {});
      return;
    }
    const label = i.isChatInputCommand() ? `/${i.commandName}` : i.isButton() ? `button ${i.customId}` : `interaction type ${i.type}`;
    try {
      if (i.isChatInputCommand()) await command(i);
      else if (i.isButton()) await button(i);
    } catch (error) {
      await apologize(i, `${label} by ${who(i.user)} failed`, error);
    }
  }

  async function autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const choices = focused.name === "article" && !stopping ? articleChoices(lib, String(focused.value)) : [];
    await i.respond(choices).catch((error: unknown) => log.warn(`autocomplete for /${i.commandName} failed: ${(error as Error).message}`));
  }

  async function command(i: ChatInputCommandInteraction): Promise<void> {
    switch (i.commandName) {
      case COMMANDS.ask:
        return ask(i);
      case COMMANDS.source:
        return source(i);
      case COMMANDS.articles:
        await i.reply(ephemeral(renderArticleList(lib.articles(), i.options.getInteger("page") ?? 1)));
        return;
      case COMMANDS.help:
        await i.reply(ephemeral(plain(HELP_TEXT)));
        return;
      case COMMANDS.ingest:
        return ingest(i);
      case COMMANDS.forget:
        return forget(i);
      default:
        await i.reply(ephemeral(plain(`I don't know /${i.commandName}. /help lists what I can do.`)));
    }
  }

  async function ask(i: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    const question = i.options.getString("question", true);
    const articleInput = i.options.getString("article");
    // Cheap checks first, answered privately; then acknowledge at once, within Discord's 3 s.
    const refused = precheck(i.user.id, question);
    if (refused) {
      log.info(`ask by ${who(i.user)} refused: ${refused.reason}`);
      await i.reply(ephemeral(plain(refused.message)));
      return;
    }
    await i.deferReply();
    let articleId: string | undefined;
    if (articleInput) {
      const found = resolveArticle(lib, articleInput);
      if (!found.ok) {
        await i.editReply(plain(found.message));
        return;
      }
      articleId = found.article.id;
    }
    const answer = await answerOrExplain(question, articleId);
    if (typeof answer === "string") {
      await i.editReply(plain(answer));
      return;
    }
    const message = await i.editReply(renderAnswer(answer));
    recent.remember(message.id, { question, answer, askedBy: i.user.id });
    logAnswer(`ask by ${who(i.user)}`, question, answer, started);
  }

  /** Rate limit and question checks, before anything is sent. */
  function precheck(userId: string, question: string): { reason: string; message: string } | null {
    try {
      checkQuestion(question);
    } catch (error) {
      if (error instanceof QuestionError) return { reason: "invalid question", message: error.message };
      throw error;
    }
    const taken = limiter?.take(userId);
    if (taken && !taken.ok) return { reason: "rate limited", message: rateLimitMessage(taken.retryAfterMs, config.rateLimit!) };
    return null;
  }

  /** The answer, or the message of a QuestionError (what the member should change). */
  async function answerOrExplain(question: string, articleId: string | undefined): Promise<Answer | string> {
    try {
      return await answerSlot(() => lib.answer(question, articleId ? { articleId } : undefined));
    } catch (error) {
      if (error instanceof QuestionError) return error.message;
      throw error;
    }
  }

  function logAnswer(prefix: string, question: string, a: Answer, started: number): void {
    const ms = Math.round(performance.now() - started);
    const cites = a.citations.map((c) => `[${c.n}] ${quoteForLog(c.title, 60)} ¶${c.paragraph} (${c.articleId})`).join(", ");
    const filter = a.searched.articleFilter ? ` in article ${a.searched.articleFilter}` : "";
    log.info(
      `${prefix}: ${quoteForLog(question)}${filter} -> ${a.status} (confidence ${a.confidence.toFixed(2)}) in ${ms} ms; ` +
        (a.status === "answered" ? `cited ${cites}` : cites ? `closest ${cites}` : "nothing close"),
    );
  }

  async function source(i: ChatInputCommandInteraction): Promise<void> {
    const found = resolveArticle(lib, i.options.getString("article", true));
    if (!found.ok) {
      await i.reply(ephemeral(plain(found.message)));
      return;
    }
    const n = i.options.getInteger("paragraph", true);
    const context = i.options.getInteger("context") ?? 1;
    const paragraphs = lib.paragraph(found.article.id, n, context);
    if (!paragraphs) {
      await i.reply(ephemeral(plain(`"${found.article.title}" has ${found.article.paragraphs} paragraph${found.article.paragraphs === 1 ? "" : "s"}; pick a number from 1 to ${found.article.paragraphs}.`)));
      return;
    }
    await i.reply(ephemeral(renderParagraph(paragraphs, n)));
  }

  async function ingest(i: ChatInputCommandInteraction): Promise<void> {
    if (!isModerator(i, config.moderatorRoles)) {
      log.info(`/ingest by ${who(i.user)} refused: not a moderator`);
      await i.reply(ephemeral(plain(refusal("add articles", config.moderatorRoles))));
      return;
    }
    const att = i.options.getAttachment("file", true);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const started = performance.now();
    let file;
    try {
      file = await fetchAttachment(
        { name: att.name, url: att.url, size: att.size, contentType: att.contentType },
        { maxBytes: config.attachmentMaxBytes, timeoutMs: config.attachmentTimeoutMs, allowPrivateHosts: config.allowPrivateAttachmentHosts },
      );
    } catch (error) {
      if (!(error instanceof AttachmentError)) throw error;
      log.info(`/ingest by ${who(i.user)} of ${quoteForLog(att.name)} refused: ${error.message}`);
      await i.editReply(plain(error.message));
      return;
    }
    const summary = await serialized(() => lib.ingest([file]));
    const titles = new Map(lib.articles().map((a) => [a.id, a.title]));
    await i.editReply(renderIngestSummary(att.name, summary, titles));
    log.info(
      `/ingest by ${who(i.user)} of ${quoteForLog(att.name)} (${file.bytes.length} bytes) in ${Math.round(performance.now() - started)} ms: ` +
        `added ${summary.added.length} [${summary.added.join(", ")}], replaced ${summary.replaced.length}, unchanged ${summary.unchanged.length}, failed ${summary.failed.length}` +
        summary.failed.map((f) => `; ${f.where}: ${f.reason}`).join(""),
    );
  }

  async function forget(i: ChatInputCommandInteraction): Promise<void> {
    if (!isModerator(i, config.moderatorRoles)) {
      log.info(`/forget by ${who(i.user)} refused: not a moderator`);
      await i.reply(ephemeral(plain(refusal("remove articles", config.moderatorRoles))));
      return;
    }
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const found = resolveArticle(lib, i.options.getString("article", true));
    if (!found.ok) {
      await i.editReply(plain(found.message));
      return;
    }
    const removed = await serialized(() => lib.forget(found.article.id));
    const title = found.article.title;
    await i.editReply(plain(removed ? `Removed "${title}" from the coverage; it will not be quoted any more.` : `"${title}" was already removed.`));
    log.info(`/forget by ${who(i.user)}: ${quoteForLog(title)} (${found.article.id}) ${removed ? "removed" : "was already gone"}`);
  }

  // ---- buttons ----------------------------------------------------------------------------------

  async function button(i: ButtonInteraction): Promise<void> {
    const parsed = parseCustomId(i.customId);
    if (!parsed) {
      await i.reply(ephemeral(plain("That button is from an older version of me; ask again to get fresh buttons.")));
      return;
    }
    if (parsed.kind === "paragraph") {
      const found = resolveArticle(lib, parsed.ref);
      const paragraphs = found.ok ? lib.paragraph(found.article.id, parsed.paragraph, 0) : null;
      if (!found.ok || !paragraphs) {
        await i.reply(ephemeral(plain("That paragraph is no longer in the coverage (the article was removed or replaced).")));
        return;
      }
      log.debug(`paragraph shown to ${who(i.user)}: ${found.article.id} ¶${parsed.paragraph}`);
      await i.reply(ephemeral(renderParagraph(paragraphs, parsed.paragraph)));
      return;
    }
    if (parsed.kind === "articles") {
      await i.update(renderArticleList(lib.articles(), parsed.page));
      return;
    }
    const entry = recent.get(i.message.id);
    if (!entry) {
      await i.reply(ephemeral(plain("Thanks! I no longer have that answer in memory (it is old, or I restarted), so I couldn't store your rating.")));
      return;
    }
    if (entry.ratedBy.has(i.user.id)) {
      await i.reply(ephemeral(plain("You already rated this answer. Thanks!")));
      return;
    }
    lib.recordFeedback({ question: entry.question, answer: entry.answer, helpful: parsed.helpful, by: i.user.id });
    entry.ratedBy.add(i.user.id);
    log.info(`feedback by ${who(i.user)}: ${parsed.helpful ? "helpful" : "not helpful"} for ${quoteForLog(entry.question)} (${entry.answer.status})`);
    await i.reply(ephemeral(plain(parsed.helpful ? "Thanks! Noted as helpful." : "Thanks! Noted as not helpful; the newsroom reviews these.")));
  }

  // ---- @mention questions -----------------------------------------------------------------------

  async function onMessage(m: Message): Promise<void> {
    if (m.author.bot || m.webhookId || m.system || !m.inGuild() || !client.isReady()) return;
    const me = client.user.id;
    const botRole = m.guild.members.me?.roles.botRole?.id;
    const pattern = `<@!?${me}>${botRole ? `|<@&${botRole}>` : ""}`;
    if (!new RegExp(pattern).test(m.content)) return;
    const mention = new RegExp(pattern, "g");
    if (stopping) {
      await m.reply(plain("I'm restarting right now; please ask again in a minute.")).catch(() => {});
      return;
    }
    const started = performance.now();
    const question = m.content.replace(mention, " ").replace(/\s+/g, " ").trim();
    try {
      if (!question) {
        await m.reply(plain(`Ask me a question about the coverage after the mention, e.g. <@${me}> What did Peskov say about publicity? (/help has more.)`));
        return;
      }
      const refused = precheck(m.author.id, question);
      if (refused) {
        log.info(`mention by ${who(m.author)} refused: ${refused.reason}`);
        await m.reply(plain(refused.message));
        return;
      }
      void m.channel.sendTyping().catch(() => {});
      const answer = await answerOrExplain(question, undefined);
      if (typeof answer === "string") {
        await m.reply(plain(answer));
        return;
      }
      const reply = await m.reply({ ...renderAnswer(answer), failIfNotExists: false });
      recent.remember(reply.id, { question, answer, askedBy: m.author.id });
      logAnswer(`mention by ${who(m.author)} in #${m.channel.name}`, question, answer, started);
    } catch (error) {
      const id = errorId();
      log.error(`${id} mention question by ${who(m.author)} failed`, error);
      await m.reply(apology(id)).catch(() => {});
    }
  }

  // ---- connection -------------------------------------------------------------------------------

  client.on(Events.InteractionCreate, (i) => track(onInteraction(i)));
  if (config.mentions || config.messageContent) client.on(Events.MessageCreate, (m) => track(onMessage(m)));
  client.on(Events.Error, (e) => log.error("discord.js error", e));
  client.on(Events.Warn, (w) => log.warn(`discord.js: ${w}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`gateway shard ${shard} disconnected (code ${event.code})`));
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopping) log.info(`gateway shard ${shard} reconnecting`);
  });
  client.on(Events.ShardResume, (shard, replayed) => log.info(`gateway shard ${shard} resumed (${replayed} events replayed)`));

  await login(client, config, log, options.readyTimeoutMs ?? 60_000);
  const ready = client as Client<true>;
  let commandScope = "global";
  try {
    if (config.guildId) {
      await ready.application.commands.set(COMMAND_DEFINITIONS, config.guildId);
      commandScope = config.guildId;
    } else await ready.application.commands.set(COMMAND_DEFINITIONS);
  } catch (error) {
    await destroy(ready);
    throw new Error(`Could not register the slash commands${config.guildId ? ` in server ${config.guildId} (is the bot in that server, invited with the applications.commands scope?)` : ""}: ${(error as Error).message}`);
  }

  const intentNames = intents.map((b) => GatewayIntentBits[b]);
  const count = lib.articles().length;
  log.info(
    `Connected as ${ready.user.tag} (${ready.user.id}) to ${ready.guilds.cache.size} server${ready.guilds.cache.size === 1 ? "" : "s"}; ` +
      `${count} article${count === 1 ? "" : "s"} in the coverage.${config.apiUrl ? ` Discord API: ${config.apiUrl} (DISCORD_API_URL, meant for testing).` : ""}`,
  );
  log.info(
    `Commands /${COMMAND_DEFINITIONS.map((c) => c.name).join(" /")} registered ${config.guildId ? `to server ${config.guildId}` : "globally (new commands can take up to an hour to appear everywhere)"}.`,
  );
  log.info(
    `Intents: ${intentNames.join(", ")}. @mention questions: ${config.mentions || config.messageContent ? "on" : "off (DISCORD_MENTIONS=false)"}; ` +
      `Message Content intent: ${config.messageContent ? "on (privileged: must be enabled in the developer portal)" : "off (not needed: Discord sends the text of messages that mention the bot)"}.`,
  );
  log.info(
    `Moderators: Manage Messages or Manage Server${config.moderatorRoles.length ? `, or role ${config.moderatorRoles.join(" / ")}` : ""}. ` +
      `Rate limit: ${config.rateLimit ? `${config.rateLimit.count} questions per ${config.rateLimit.windowMs / 1000} s per member` : "off"}.`,
  );

  const idle = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  let stopped: Promise<void> | null = null;
  return {
    client: ready,
    intents: intentNames,
    commandScope,
    recent,
    idle,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (inflight.size > 0) log.info(`Stopping: finishing ${inflight.size} request${inflight.size === 1 ? "" : "s"} in flight...`);
        const drained = await Promise.race([idle().then(() => true), delay(options.drainTimeoutMs ?? 30_000, false, { ref: false })]);
        if (!drained) log.warn(`Stopping with ${inflight.size} request(s) still in flight after ${(options.drainTimeoutMs ?? 30_000) / 1000} s.`);
        await destroy(ready);
        log.info("Disconnected from Discord.");
      })();
      return stopped;
    },
  };
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
