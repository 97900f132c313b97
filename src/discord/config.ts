import { z } from "zod";
import { ConfigError } from "../config.ts";

/**
 * The Discord face's settings, read from the environment once (src/cli/start.ts loads `.env` first).
 * Every variable is documented in `.env.example`; blank values count as unset.
 */
export interface BotConfig {
  token: string;
  /** Register commands to this guild (instant) instead of globally (can take up to an hour). */
  guildId: string | null;
  /** REST base handed to discord.js (`rest.api`), e.g. http://127.0.0.1:PORT/api. For testing only. */
  apiUrl: string | null;
  /** Role names or ids whose members count as moderators (besides Manage Messages / Manage Server). */
  moderatorRoles: string[];
  /** Answer questions that @mention the bot (GuildMessages intent, not privileged). */
  mentions: boolean;
  /** Also request the privileged Message Content intent. */
  messageContent: boolean;
  /** Questions per window per user; null = no limit. */
  rateLimit: { count: number; windowMs: number } | null;
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

const schema = z.object({
  DISCORD_TOKEN: z.string({ error: "DISCORD_TOKEN is missing: put the bot token from the Discord developer portal in .env" }).trim().min(1),
  DISCORD_GUILD_ID: z
    .string()
    .trim()
    .regex(/^\d{15,21}$/, "DISCORD_GUILD_ID must be a server id (a number like 123456789012345678: right-click the server with Developer Mode on, Copy Server ID)")
    .optional(),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, error: "DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api (it is for testing; leave it unset in production)" })
    .optional(),
  DISCORD_MODERATOR_ROLE: z.string().optional(),
  DISCORD_MENTIONS: bool("DISCORD_MENTIONS", true),
  DISCORD_MESSAGE_CONTENT: bool("DISCORD_MESSAGE_CONTENT", false),
  ASK_RATE_LIMIT: z
    .string()
    .default("5/60")
    .transform((v, ctx) => {
      const s = v.trim().toLowerCase();
      if (s === "off" || s === "0") return null;
      const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?$/.exec(s);
      if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
        ctx.addIssue({ code: "custom", message: `ASK_RATE_LIMIT must look like 5/60 (5 questions per 60 seconds per user) or off, not ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return { count: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
    }),
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
  return {
    token: c.DISCORD_TOKEN,
    guildId: c.DISCORD_GUILD_ID ?? null,
    apiUrl: c.DISCORD_API_URL?.replace(/\/+$/, "") ?? null,
    moderatorRoles: (c.DISCORD_MODERATOR_ROLE ?? "")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean),
    mentions: c.DISCORD_MENTIONS,
    messageContent: c.DISCORD_MESSAGE_CONTENT,
    rateLimit: c.ASK_RATE_LIMIT,
    logLevel: c.LOG_LEVEL,
    attachmentMaxBytes: Math.round(c.DISCORD_ATTACHMENT_MAX_MB * 1024 * 1024),
    attachmentTimeoutMs: 30_000,
    allowPrivateAttachmentHosts: false,
  };
}
