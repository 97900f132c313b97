import { z } from "zod";
import { ConfigError } from "../config.ts";

/**
 * The staff web face's own settings (WEB_PUBLIC_URL and WEB_LINK_SECRET are the core's: answers
 * and the bot make links with them). Documented in `.env.example`; blank values count as unset.
 */
export interface WebConfig {
  /** Serve the pages inside the bot process on this port; null: not from the bot (`npm run web` still can). */
  port: number | null;
  host: string;
  /** A bearer token that opens every page (scripts, a reverse proxy that adds it); null: signed links only. */
  token: string | null;
  /** Article pages open to anyone, for newsrooms whose coverage is their own and public anyway. */
  publicArticles: boolean;
}

const PORT_HELP = "WEB_PORT must be a port number (1-65535)";

const schema = z.object({
  WEB_PORT: z.coerce.number({ error: PORT_HELP }).int(PORT_HELP).min(1, PORT_HELP).max(65535, PORT_HELP).optional(),
  // Loopback by default: the pages show members' questions; a reverse proxy in front serves them further.
  WEB_HOST: z.string().trim().min(1).default("127.0.0.1"),
  WEB_TOKEN: z.string().trim().min(16, "WEB_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)").optional(),
  WEB_PUBLIC_ARTICLES: z.enum(["true", "false"], { error: "WEB_PUBLIC_ARTICLES must be true or false" }).default("false"),
});

export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const present = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.message.startsWith(String(i.path[0])) ? "" : `${i.path.join(".")}: `}${i.message}`);
    throw new ConfigError(`Invalid configuration (check your .env; see .env.example):\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return { port: c.WEB_PORT ?? null, host: c.WEB_HOST, token: c.WEB_TOKEN ?? null, publicArticles: c.WEB_PUBLIC_ARTICLES === "true" };
}
