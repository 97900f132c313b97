import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * Core settings, read from the environment once, where they enter. Every variable is documented in
 * `.env.example`; the Discord face validates its own variables in `src/discord/config.ts`.
 */
const schema = z.object({
  DATA_DIR: z.string().min(1).default("data"),
  EMBEDDINGS: z.enum(["use-lite", "ollama", "openai"]).default("use-lite"),
  OLLAMA_BASE_URL: z.url().default("http://127.0.0.1:11434"),
  OLLAMA_MODEL: z.string().min(1).default("nomic-embed-text"),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_EMBEDDINGS_MODEL: z.string().min(1).default("text-embedding-3-small"),
  EMBED_WORKERS: z.coerce.number().int().min(0).max(16).default(Math.min(availableParallelism(), 4)),
  MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  REVISION_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  FEEDBACK_RETENTION_DAYS: z.coerce.number({ error: "FEEDBACK_RETENTION_DAYS must be a number of days" }).int().min(1).max(3650).default(90),
  RECEIPT_RETENTION_DAYS: z.coerce.number({ error: "RECEIPT_RETENTION_DAYS must be a number of days" }).int().min(1).max(3650).default(90),
  FETCH_ALLOW_PRIVATE_HOSTS: z.enum(["true", "false"], { error: "FETCH_ALLOW_PRIVATE_HOSTS must be true or false" }).default("false"),
  // Fractions of a minute are for tests; a feed's own ttl / max-age still wins when longer.
  FEEDS_POLL_MINUTES: z.coerce.number({ error: "FEEDS_POLL_MINUTES must be a number of minutes" }).min(0.01).max(1440).default(15),
  FEEDS_ITEMS_PER_POLL: z.coerce.number({ error: "FEEDS_ITEMS_PER_POLL must be a whole number" }).int().min(1).max(500).default(25),
  WEB_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "WEB_PUBLIC_URL must be the http(s) address people reach the web pages at, such as https://quotes.example.org" }).optional(),
  WEB_LINK_SECRET: z.string().min(32, "WEB_LINK_SECRET must be at least 32 characters (or leave it unset: the store keeps a key of its own)").optional(),
});

export type CoreConfig = {
  dataDir: string;
  embeddings: EmbeddingsConfig;
  minConfidence: number | undefined;
  /** Days an earlier version (replaced, forgotten) is kept for undo; 0 keeps none. */
  revisionRetentionDays: number;
  /** Feedback older than this is deleted (it holds members' questions). */
  feedbackRetentionDays: number;
  /** Answer receipts older than this are deleted (they hold members' questions). */
  receiptRetentionDays: number;
  /** Testing only: article links may point at loopback and private addresses (a local test server). */
  fetchAllowPrivateHosts: boolean;
  /** How often followed feeds are polled (a feed's ttl, max-age or Retry-After can only make it rarer). */
  feedsPollMs: number;
  /** New or edited feed items taken per poll of one feed; the rest wait for the next polls. */
  feedsItemsPerPoll: number;
  /** The base address of the staff web pages as people reach them (no trailing slash); null: no links to them. */
  webPublicUrl: string | null;
  /** The key of signed web links, when set (WEB_LINK_SECRET); else the store keeps one of its own. */
  webLinkSecret: string | null;
};

export type EmbeddingsConfig =
  | { provider: "use-lite"; workers: number }
  | { provider: "ollama"; baseUrl: string; model: string }
  | { provider: "openai"; apiKey: string; model: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Treats empty strings as unset, which is what a blank line in `.env` means to people. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => !!e[1] && e[1].trim() !== ""));
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env, overrides: { dataDir?: string } = {}): CoreConfig {
  const parsed = schema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (check your .env; see .env.example):\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  let embeddings: EmbeddingsConfig;
  if (c.EMBEDDINGS === "openai") {
    if (!c.OPENAI_API_KEY) throw new ConfigError("EMBEDDINGS=openai needs OPENAI_API_KEY in .env (or use the default EMBEDDINGS=use-lite, which runs offline).");
    embeddings = { provider: "openai", apiKey: c.OPENAI_API_KEY, model: c.OPENAI_EMBEDDINGS_MODEL };
  } else if (c.EMBEDDINGS === "ollama") {
    embeddings = { provider: "ollama", baseUrl: c.OLLAMA_BASE_URL, model: c.OLLAMA_MODEL };
  } else {
    embeddings = { provider: "use-lite", workers: c.EMBED_WORKERS };
  }
  return {
    dataDir: path.resolve(overrides.dataDir ?? c.DATA_DIR),
    embeddings,
    minConfidence: c.MIN_CONFIDENCE,
    revisionRetentionDays: c.REVISION_RETENTION_DAYS,
    feedbackRetentionDays: c.FEEDBACK_RETENTION_DAYS,
    receiptRetentionDays: c.RECEIPT_RETENTION_DAYS,
    fetchAllowPrivateHosts: c.FETCH_ALLOW_PRIVATE_HOSTS === "true",
    feedsPollMs: Math.round(c.FEEDS_POLL_MINUTES * 60_000),
    feedsItemsPerPoll: c.FEEDS_ITEMS_PER_POLL,
    webPublicUrl: c.WEB_PUBLIC_URL?.replace(/\/+$/, "") ?? null,
    webLinkSecret: c.WEB_LINK_SECRET ?? null,
  };
}
