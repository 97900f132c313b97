import { z } from "zod";
import { ConfigError } from "../config.ts";
import { bool } from "./config.ts";
import { LOG_FORMATS, type LogFormat } from "./log.ts";

/**
 * How the bot runs as a service (log format, health endpoint, first-start sample), apart from how
 * it talks to Discord (./config.ts). Every variable is documented in `.env.example`; blank values
 * count as unset.
 */
export interface ServiceConfig {
  logFormat: LogFormat;
  /** Serve /healthz and /readyz on this port; null = no endpoint. */
  healthPort: number | null;
  healthHost: string;
  /** Fill an empty, never-used store with the bundled sample coverage (data/articles/). */
  seedSample: boolean;
}

const schema = z.object({
  LOG_FORMAT: z
    .string()
    .default("text")
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(LOG_FORMATS, { error: `LOG_FORMAT must be ${LOG_FORMATS.join(" or ")}` })),
  HEALTH_PORT: z.coerce
    .number({ error: "HEALTH_PORT must be a port number (1-65535)" })
    .int("HEALTH_PORT must be a whole port number")
    .min(1, "HEALTH_PORT must be a port number (1-65535)")
    .max(65535, "HEALTH_PORT must be a port number (1-65535)")
    .optional(),
  // Loopback by default: the endpoint says whether the bot is connected, which is nobody else's business.
  HEALTH_HOST: z.string().trim().min(1).default("127.0.0.1"),
  SEED_SAMPLE: bool("SEED_SAMPLE", false),
});

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const present = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.message.startsWith(String(i.path[0])) ? "" : `${i.path.join(".")}: `}${i.message}`);
    throw new ConfigError(`Invalid configuration (check your .env; see .env.example):\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return { logFormat: c.LOG_FORMAT, healthPort: c.HEALTH_PORT ?? null, healthHost: c.HEALTH_HOST, seedSample: c.SEED_SAMPLE };
}
