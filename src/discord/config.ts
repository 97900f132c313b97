import { z } from "zod";
import { ConfigError } from "../config.ts";

/**
 * The Discord face's settings, read from the environment once (src/cli/start.ts loads `.env` first).
 * Every variable is documented in `.env.example`; blank values count as unset.
 */
export interface BotConfig {
  token: string;
  /**
   * The newsroom's own servers (DISCORD_GUILDS, or DISCORD_GUILD_ID for one): the only places where
   * the coverage can be changed or staff data seen. Empty: nobody can change anything from Discord.
   */
  guilds: string[];
  /** What the bot does in any other server: leave it (default), or stay and answer questions only. */
  otherServers: OtherServers;
  /** REST base handed to discord.js (`rest.api`), e.g. http://127.0.0.1:PORT/api. For testing only. */
  apiUrl: string | null;
  /** Roles whose members count as moderators in the newsroom's servers (besides Manage Messages / Manage Server). */
  moderatorRoles: RoleRules;
  /** Roles whose members count as newsroom staff (besides Manage Server). */
  staffRoles: RoleRules;
  /** Answer questions that @mention the bot (GuildMessages intent, not privileged). */
  mentions: boolean;
  /** Also request the privileged Message Content intent. */
  messageContent: boolean;
  /** Questions per window per user; null = no limit. */
  rateLimit: { count: number; windowMs: number } | null;
  /** Look-ups (autocomplete, buttons, /source, /articles) per window per user; null = no limit. */
  lookupRateLimit: { count: number; windowMs: number } | null;
  logLevel: LogLevel;
  /** Largest /ingest attachment, in bytes. */
  attachmentMaxBytes: number;
  /** Download timeout for /ingest attachments. */
  attachmentTimeoutMs: number;
  /**
   * Allow /ingest downloads from private, loopback and link-local addresses. Never set from the
   * environment: only tests (whose fake Discord serves attachments on 127.0.0.1) turn it on.
   */
  allowPrivateAttachmentHosts: boolean;
  /** A staff channel (in a newsroom server) for the weekly gaps digest (GAPS_DIGEST_CHANNEL); null: none. */
  gapsDigestChannel: string | null;
  /** A channel (in a newsroom server) where articles new from followed feeds are announced (FEEDS_ANNOUNCE_CHANNEL); null: none. */
  feedsAnnounceChannel: string | null;
  /** Where failing feeds are reported when they were added from the CLI, or their channel is gone (FEEDS_REPORT_CHANNEL); null: the log only. */
  feedsReportChannel: string | null;
}

export type OtherServers = "leave" | "read-only";

/**
 * Role names or ids, per server: `all` apply in every one of the newsroom's servers, `byGuild` only
 * in the server named. Written in the environment as `Moderator, 123456789012345678:Editors`.
 */
export interface RoleRules {
  all: string[];
  byGuild: Record<string, string[]>;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The core refuses files above 20 MiB (src/articles/limits.ts); an upload cannot be bigger. */
const MAX_ATTACHMENT_MB = 20;

export const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const s = v.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true or false, not ${JSON.stringify(v)}` });
      return z.NEVER;
    });

const GUILD_ID = /^\d{15,21}$/;
const GUILD_ID_HELP = "a server id (a number like 123456789012345678: right-click the server with Developer Mode on, Copy Server ID)";

/** "Moderator, 123456789012345678:Editors" -> RoleRules; a scoped entry must name one of the newsroom's servers. */
const roleRules = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const rules: RoleRules = { all: [], byGuild: {} };
      for (const entry of (v ?? "").split(",").map((r) => r.trim()).filter(Boolean)) {
        const m = /^(\d{15,21})\s*:\s*(.+)$/.exec(entry);
        if (!m) rules.all.push(entry);
        else (rules.byGuild[m[1]!] ??= []).push(m[2]!.trim());
      }
      if (rules.all.some((r) => r.includes(":"))) {
        ctx.addIssue({ code: "custom", message: `${name}: write a role for one server as SERVER_ID:ROLE, where SERVER_ID is ${GUILD_ID_HELP}` });
        return z.NEVER;
      }
      return rules;
    });

/** "5/60": COUNT per SECONDS per member, or "off". */
const rateLimit = (name: string, fallback: string, what: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const s = v.trim().toLowerCase();
      if (s === "off" || s === "0") return null;
      const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?$/.exec(s);
      if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
        const [count, seconds] = fallback.split("/");
        ctx.addIssue({ code: "custom", message: `${name} must look like ${fallback} (${count} ${what} per ${seconds} seconds per user) or off, not ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return { count: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
    });

/** An optional channel id variable, with the message that says where to find one. */
function channelId(name: string) {
  return z
    .string()
    .trim()
    .regex(GUILD_ID, `${name} must be a channel id (a number like 123456789012345678: right-click the channel with Developer Mode on, Copy Channel ID)`)
    .optional();
}

const schema = z.object({
  DISCORD_TOKEN: z.string({ error: "DISCORD_TOKEN is missing: put the bot token from the Discord developer portal in .env" }).trim().min(1),
  DISCORD_GUILD_ID: z.string().trim().regex(GUILD_ID, `DISCORD_GUILD_ID must be ${GUILD_ID_HELP}`).optional(),
  DISCORD_GUILDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const bad = ids.filter((id) => !GUILD_ID.test(id));
      if (bad.length) {
        ctx.addIssue({ code: "custom", message: `DISCORD_GUILDS must be server ids separated by commas, each ${GUILD_ID_HELP}; not ${bad.map((b) => JSON.stringify(b)).join(", ")}` });
        return z.NEVER;
      }
      return ids;
    }),
  DISCORD_OTHER_SERVERS: z
    .string()
    .default("leave")
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(["leave", "read-only"], { error: "DISCORD_OTHER_SERVERS must be leave (default) or read-only" })),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, error: "DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api (it is for testing; leave it unset in production)" })
    .optional(),
  DISCORD_MODERATOR_ROLE: roleRules("DISCORD_MODERATOR_ROLE"),
  DISCORD_STAFF_ROLE: roleRules("DISCORD_STAFF_ROLE"),
  DISCORD_MENTIONS: bool("DISCORD_MENTIONS", true),
  DISCORD_MESSAGE_CONTENT: bool("DISCORD_MESSAGE_CONTENT", false),
  ASK_RATE_LIMIT: rateLimit("ASK_RATE_LIMIT", "5/60", "questions"),
  LOOKUP_RATE_LIMIT: rateLimit("LOOKUP_RATE_LIMIT", "30/10", "look-ups"),
  LOG_LEVEL: z
    .string()
    .default("info")
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` })),
  DISCORD_ATTACHMENT_MAX_MB: z.coerce
    .number({ error: "DISCORD_ATTACHMENT_MAX_MB must be a number of MiB" })
    .positive("DISCORD_ATTACHMENT_MAX_MB must be above 0")
    .max(MAX_ATTACHMENT_MB, `DISCORD_ATTACHMENT_MAX_MB can be at most ${MAX_ATTACHMENT_MB} (the largest file ingest accepts)`)
    .default(10),
  GAPS_DIGEST_CHANNEL: channelId("GAPS_DIGEST_CHANNEL"),
  FEEDS_ANNOUNCE_CHANNEL: channelId("FEEDS_ANNOUNCE_CHANNEL"),
  FEEDS_REPORT_CHANNEL: channelId("FEEDS_REPORT_CHANNEL"),
});

/** Reads and checks the bot's variables; throws ConfigError with every problem listed. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const present = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.message.startsWith(String(i.path[0])) ? "" : `${i.path.join(".")}: `}${i.message}`);
    throw new ConfigError(`Invalid Discord configuration (check your .env; see .env.example):\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const guilds = [...new Set([...(c.DISCORD_GUILD_ID ? [c.DISCORD_GUILD_ID] : []), ...c.DISCORD_GUILDS])];
  const strays = [c.DISCORD_MODERATOR_ROLE, c.DISCORD_STAFF_ROLE].flatMap((r) => Object.keys(r.byGuild)).filter((g) => !guilds.includes(g));
  if (strays.length) {
    throw new ConfigError(
      `Invalid Discord configuration (check your .env; see .env.example):\n  roles are set for server ${[...new Set(strays)].join(", ")}, which is not in DISCORD_GUILDS; roles from other servers never count`,
    );
  }
  return {
    token: c.DISCORD_TOKEN,
    guilds,
    otherServers: c.DISCORD_OTHER_SERVERS,
    apiUrl: c.DISCORD_API_URL?.replace(/\/+$/, "") ?? null,
    moderatorRoles: c.DISCORD_MODERATOR_ROLE,
    staffRoles: c.DISCORD_STAFF_ROLE,
    mentions: c.DISCORD_MENTIONS,
    messageContent: c.DISCORD_MESSAGE_CONTENT,
    rateLimit: c.ASK_RATE_LIMIT,
    lookupRateLimit: c.LOOKUP_RATE_LIMIT,
    logLevel: c.LOG_LEVEL,
    attachmentMaxBytes: Math.round(c.DISCORD_ATTACHMENT_MAX_MB * 1024 * 1024),
    attachmentTimeoutMs: 30_000,
    allowPrivateAttachmentHosts: false,
    gapsDigestChannel: c.GAPS_DIGEST_CHANNEL ?? null,
    feedsAnnounceChannel: c.FEEDS_ANNOUNCE_CHANNEL ?? null,
    feedsReportChannel: c.FEEDS_REPORT_CHANNEL ?? null,
  };
}
