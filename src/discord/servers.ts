import { ChannelType, PermissionFlagsBits, type Client, type Guild } from "discord.js";
import { rolesIn } from "./access.ts";
import { COMMAND_DEFINITIONS, READ_ONLY_COMMAND_DEFINITIONS } from "./commands/index.ts";
import type { BotConfig } from "./config.ts";
import { quoteForLog, type Logger } from "./log.ts";
import { NO_MENTIONS } from "./render.ts";
import { plural } from "../common/text.ts";

/**
 * Which servers the bot serves, and how: the newsroom's own get every command, others are left (or,
 * with DISCORD_OTHER_SERVERS=read-only, get the reading commands only). Commands are registered per
 * server rather than globally so that a server that may only read never even sees /ingest; the access
 * check (access.ts) still runs on every interaction, since a stale global command reaches the bot
 * from anywhere until it is removed.
 */
export interface ServerReport {
  /** "servers" (commands per server) or "global" (no newsroom server configured). */
  commandScope: "servers" | "global";
}

type Placement = "newsroom" | "read-only" | "leave" | "unconfigured";

export const LEAVE_NOTICE =
  "Hello! I answer questions about one newsroom's coverage and serve only that newsroom's own servers, so I'm leaving this one. Nothing here was read or changed.";

function placementOf(config: BotConfig, guildId: string): Placement {
  if (config.guilds.length === 0) return "unconfigured";
  if (config.guilds.includes(guildId)) return "newsroom";
  return config.otherServers === "read-only" ? "read-only" : "leave";
}

/** Registers commands, leaves servers that are not the newsroom's, and reports what it found. Runs once after READY. */
export async function setUpServers(client: Client<true>, config: BotConfig, log: Logger): Promise<ServerReport> {
  const commands = client.application.commands;
  if (config.guilds.length === 0) {
    try {
      await commands.set(COMMAND_DEFINITIONS);
    } catch (error) {
      throw new Error(`Could not register the slash commands: ${(error as Error).message}`);
    }
  } else {
    // Commands registered globally by an earlier configuration would keep /ingest visible everywhere.
    const stale = await commands.fetch();
    if (stale.size > 0) {
      await commands.set([]);
      log.info(`Removed ${stale.size} global command${stale.size === 1 ? "" : "s"} left from an earlier configuration; commands are now registered per server.`);
    }
  }
  const lines: string[] = [];
  const others: string[] = [];
  for (const guild of client.guilds.cache.values()) {
    if (placementOf(config, guild.id) !== "newsroom") others.push(guild.id);
    lines.push(await place(guild, config, log));
  }
  report(client, config, log, lines, others.length);
  return { commandScope: config.guilds.length === 0 ? "global" : "servers" };
}

/** A server the bot was added to while running gets the same treatment as those it started in. */
export function onJoin(guild: Guild, config: BotConfig, log: Logger): Promise<void> {
  return place(guild, config, log).then(
    (line) => log.info(`Added to server ${line}`),
    (error: unknown) => log.error(`setting up server ${quoteForLog(guild.name, 60)} (${guild.id}) failed`, error),
  );
}

async function place(guild: Guild, config: BotConfig, log: Logger): Promise<string> {
  const name = `${quoteForLog(guild.name, 60)} (${guild.id})`;
  const placement = placementOf(config, guild.id);
  switch (placement) {
    case "unconfigured":
      return `${name}: answers questions; changes refused (no DISCORD_GUILDS)`;
    case "newsroom":
      try {
        await guild.commands.set(COMMAND_DEFINITIONS);
      } catch (error) {
        throw new Error(`Could not register the slash commands in server ${guild.id} (was the bot invited with the applications.commands scope?): ${(error as Error).message}`);
      }
      return `${name}: newsroom server, all commands`;
    case "read-only":
      try {
        await guild.commands.set(READ_ONLY_COMMAND_DEFINITIONS);
      } catch (error) {
        log.warn(`Could not register the reading commands in server ${name}: ${(error as Error).message}`);
      }
      return `${name}: not a newsroom server; answers questions only (DISCORD_OTHER_SERVERS=read-only)`;
    case "leave":
      try {
        await leave(guild, log);
        return `${name}: not a newsroom server; left it (DISCORD_OTHER_SERVERS=leave)`;
      } catch (error) {
        log.error(`could not leave server ${name}; its commands and mentions are refused meanwhile`, error);
        return `${name}: not a newsroom server; leaving it failed, everything from it is refused`;
      }
  }
}

/** Says once, where the server's members will see it, why the bot goes; then goes. */
async function leave(guild: Guild, log: Logger): Promise<void> {
  const me = guild.members.me;
  const canSend = (c: Guild["systemChannel"]) =>
    c !== null && me !== null && (c.permissionsFor(me)?.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]) ?? false);
  const channel = [guild.systemChannel, ...guild.channels.cache.filter((c) => c.type === ChannelType.GuildText).values()].find((c) => canSend(c as Guild["systemChannel"]));
  if (channel && "send" in channel) {
    await channel.send({ content: LEAVE_NOTICE, allowedMentions: NO_MENTIONS }).catch((error: unknown) => log.debug(`leave notice in ${guild.id} not sent: ${(error as Error).message}`));
  }
  await guild.leave();
}

function report(client: Client<true>, config: BotConfig, log: Logger, lines: string[], others: number): void {
  log.info(`Servers (${lines.length}):${lines.length ? "" : " none yet"}`);
  for (const line of lines) log.info(`  ${line}`);
  if (config.guilds.length === 0) {
    log.warn(
      "No newsroom server is configured, so /ingest and /forget are refused everywhere. Set DISCORD_GUILDS to the newsroom's server ids " +
        "(comma-separated; right-click the server with Developer Mode on, Copy Server ID) in .env and restart.",
    );
    return;
  }
  const missing = config.guilds.filter((id) => !client.guilds.cache.has(id));
  if (missing.length) log.warn(`Not in the newsroom server${missing.length === 1 ? "" : "s"} ${missing.join(", ")} named in DISCORD_GUILDS: invite the bot there (bot and applications.commands scopes).`);
  if (others) {
    log.warn(
      `The bot was in ${plural(others, "server")} that ${others === 1 ? "is" : "are"} not the newsroom's. ` +
        "Turn off \"Public Bot\" in the Discord developer portal (Bot settings) so that strangers cannot invite it.",
    );
  }
  const scoped = Object.entries(config.moderatorRoles.byGuild).map(([g]) => `${g}: ${rolesIn(config.moderatorRoles, g).join(" / ")}`);
  if (scoped.length) log.info(`Moderator roles per server: ${scoped.join("; ")}.`);
}
