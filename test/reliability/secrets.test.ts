/**
 * No token or secret is ever echoed, and none can be committed by accident: `.env` is git-ignored,
 * `.env.example` carries no secret values, and configuration errors name the bad variables without
 * repeating the secrets next to them. (That the bot's log never holds the token is tested with the
 * bot itself, in test/discord.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.ts";
import { loadBotConfig } from "../../src/discord/config.ts";

const TOKEN = "MTAxMjM0NTY3ODkw.secret-token-value.Zm9vYmFy";
const KEY = "sk-proj-secret-key-value-0123456789";

const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
};

describe("secrets", () => {
  it(".env is git-ignored and .env.example holds no secret values", () => {
    const ignored = readFileSync(".gitignore", "utf8").split("\n").map((l) => l.trim());
    expect(ignored).toContain(".env");
    const example = readFileSync(".env.example", "utf8");
    for (const name of ["DISCORD_TOKEN", "OPENAI_API_KEY"]) expect(example).toMatch(new RegExp(`^${name}=$`, "m"));
  });

  it("configuration errors never repeat a token or key", () => {
    const bot = messageOf(() => loadBotConfig({ DISCORD_TOKEN: TOKEN, ASK_RATE_LIMIT: "lots", LOG_LEVEL: "loud", DISCORD_ATTACHMENT_MAX_MB: "999", DISCORD_API_URL: "not a url" }));
    expect(bot).toMatch(/ASK_RATE_LIMIT/);
    expect(bot).not.toContain("secret-token-value");
    const core = messageOf(() => loadCoreConfig({ OPENAI_API_KEY: KEY, EMBEDDINGS: "openai", EMBED_WORKERS: "many", MIN_CONFIDENCE: "2" }));
    expect(core).toMatch(/EMBED_WORKERS/);
    expect(core).not.toContain("secret-key-value");
  });
});
