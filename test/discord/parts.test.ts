import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { ConfigError } from "../../src/config.ts";
import { botIntents, startBot } from "../../src/discord/bot.ts";
import { articleRef, paragraphButtonId, parseCustomId } from "../../src/discord/buttons.ts";
import { COMMAND_DEFINITIONS } from "../../src/discord/commands/index.ts";
import { loadBotConfig } from "../../src/discord/config.ts";
import { AttachmentError, fetchAttachment, isPrivateAddress } from "../../src/ingest/fetch.ts";
import { createLogger, errorId } from "../../src/discord/log.ts";
import { RateLimiter, rateLimitMessage } from "../../src/discord/rate-limit.ts";
import { anyServer, FAST_CLIENT_OPTIONS, testBotConfig } from "../support/bot.ts";
import { startFakeDiscord } from "../../tools/fake-discord/server.ts";

describe("loadBotConfig", () => {
  it("has sensible defaults with only the token set", () => {
    expect(loadBotConfig({ DISCORD_TOKEN: " tok.en ", DISCORD_GUILD_ID: "" })).toEqual({
      token: "tok.en",
      guilds: [],
      otherServers: "leave",
      apiUrl: null,
      moderatorRoles: { all: [], byGuild: {} },
      staffRoles: { all: [], byGuild: {} },
      mentions: true,
      messageContent: false,
      rateLimit: { count: 5, windowMs: 60_000 },
      lookupRateLimit: { count: 30, windowMs: 10_000 },
      logLevel: "info",
      attachmentMaxBytes: 10 * 1024 * 1024,
      attachmentTimeoutMs: 30_000,
      allowPrivateAttachmentHosts: false,
      gapsDigestChannel: null,
      feedsAnnounceChannel: null,
      feedsReportChannel: null,
    });
  });

  it("reads every variable", () => {
    const c = loadBotConfig({
      DISCORD_TOKEN: "t",
      DISCORD_GUILD_ID: "123456789012345678",
      DISCORD_API_URL: "http://127.0.0.1:9999/api/",
      DISCORD_MODERATOR_ROLE: "Editors, 987654321098765432",
      DISCORD_MENTIONS: "off",
      DISCORD_MESSAGE_CONTENT: "TRUE",
      ASK_RATE_LIMIT: "10 / 30s",
      LOG_LEVEL: "DEBUG",
      DISCORD_ATTACHMENT_MAX_MB: "2.5",
      GAPS_DIGEST_CHANNEL: " 223456789012345678 ",
    });
    expect(c).toMatchObject({
      gapsDigestChannel: "223456789012345678",
      feedsAnnounceChannel: null,
      feedsReportChannel: null,
      guilds: ["123456789012345678"],
      apiUrl: "http://127.0.0.1:9999/api",
      moderatorRoles: { all: ["Editors", "987654321098765432"], byGuild: {} },
      mentions: false,
      messageContent: true,
      rateLimit: { count: 10, windowMs: 30_000 },
      logLevel: "debug",
      attachmentMaxBytes: 2.5 * 1024 * 1024,
    });
    expect(loadBotConfig({ DISCORD_TOKEN: "t", ASK_RATE_LIMIT: "off" }).rateLimit).toBeNull();
  });

  it("explains every problem at once, in words", () => {
    let error: unknown;
    try {
      loadBotConfig({ DISCORD_GUILD_ID: "my server", DISCORD_API_URL: "ftp://x", DISCORD_MENTIONS: "maybe", ASK_RATE_LIMIT: "fast", LOG_LEVEL: "loud", DISCORD_ATTACHMENT_MAX_MB: "50" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid Discord configuration \(check your \.env; see \.env\.example\):/);
    expect(message).toMatch(/DISCORD_TOKEN is missing/);
    expect(message).toMatch(/DISCORD_GUILD_ID must be a server id/);
    expect(message).toMatch(/DISCORD_API_URL must be an http\(s\) URL/);
    expect(message).toMatch(/DISCORD_MENTIONS must be true or false, not "maybe"/);
    expect(message).toMatch(/ASK_RATE_LIMIT must look like 5\/60/);
    expect(message).toMatch(/LOG_LEVEL must be one of debug, info, warn, error/);
    expect(message).toMatch(/DISCORD_ATTACHMENT_MAX_MB can be at most 20/);
  });

  it("asks for GuildMessages only when mention questions are on, and Message Content only when configured", () => {
    expect(botIntents({ mentions: false, messageContent: false })).toEqual([1]);
    expect(botIntents({ mentions: true, messageContent: false })).toEqual([1, 1 << 9]);
    expect(botIntents({ mentions: true, messageContent: true })).toEqual([1, 1 << 9, 1 << 15]);
  });
});

describe("commands", () => {
  it("fit Discord's rules: names, descriptions of at most 100 characters, /ask with a string option named question", () => {
    for (const c of COMMAND_DEFINITIONS) {
      expect(c.name).toMatch(/^[a-z]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of c.options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
    }
    const ask = COMMAND_DEFINITIONS.find((c) => c.name === "ask")!;
    expect(ask.options?.[0]).toMatchObject({ name: "question", type: 3, required: true });
  });
});

describe("RateLimiter", () => {
  it("allows count questions per sliding window, per user", () => {
    let now = 0;
    const rl = new RateLimiter(2, 60_000, () => now);
    expect(rl.take("a").ok).toBe(true);
    now = 10_000;
    expect(rl.take("a").ok).toBe(true);
    expect(rl.take("b").ok).toBe(true);
    now = 20_000;
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 40_000 });
    now = 60_000;
    expect(rl.take("a").ok).toBe(true);
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(rateLimitMessage(10_000, { count: 2, windowMs: 60_000 })).toBe(
      "You're asking faster than I can keep up with (up to 2 questions per 1 minute). Please try again in 10 seconds.",
    );
    expect(rateLimitMessage(1, { count: 1, windowMs: 30_000 })).toMatch(/up to 1 question per 30 seconds\)\. Please try again in 1 second\.$/);
  });
});

describe("buttons", () => {
  it("encodes article and paragraph in at most 100 characters, hashing long ids", () => {
    expect(paragraphButtonId("c-0123456789abcdef", 9)).toBe("para:c-0123456789abcdef:9");
    expect(parseCustomId("para:c-0123456789abcdef:9")).toEqual({ kind: "paragraph", ref: "c-0123456789abcdef", paragraph: 9 });
    expect(parseCustomId("para:https://x.y/a:b:12")).toEqual({ kind: "paragraph", ref: "https://x.y/a:b", paragraph: 12 });
    const long = "x".repeat(500);
    const id = paragraphButtonId(long, 2000);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseCustomId(id)).toEqual({ kind: "paragraph", ref: articleRef(long), paragraph: 2000 });
    expect(articleRef("#looks-like-a-hash")).not.toBe("#looks-like-a-hash");
    expect(parseCustomId("fb:y")).toEqual({ kind: "feedback", helpful: true });
    expect(parseCustomId("fb:n")).toEqual({ kind: "feedback", helpful: false });
    expect(parseCustomId("list:3")).toEqual({ kind: "articles", page: 3 });
    for (const bad of ["para::1", "para:x:0", "para:x:y", "list:0", "nope"]) expect(parseCustomId(bad)).toBeNull();
  });
});

describe("logging", () => {
  it("writes one readable line per event, at or above the level, and never the token", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", sink: (l) => lines.push(l), secrets: ["s3cr3t.t0ken"], now: () => new Date("2025-01-01T00:00:00Z") });
    log.debug("hidden");
    log.info("asked with s3cr3t.t0ken\nsecond line");
    log.error("E-1 failed", new Error("token s3cr3t.t0ken rejected"));
    expect(lines).toEqual(["2025-01-01T00:00:00.000Z INFO  asked with [redacted] | second line", "2025-01-01T00:00:00.000Z ERROR E-1 failed: Error: token [redacted] rejected"]);
    expect(errorId()).toMatch(/^E-[2-9A-HJ-NP-Z]{6}$/);
  });
});

describe("fetchAttachment", () => {
  let server: Server;
  let base: string;
  const routes: Record<string, (res: import("node:http").ServerResponse) => void> = {
    "/ok.md": (res) => res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" }).end("# Title\n\nBody text."),
    "/big.txt": (res) => res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(5000)),
    "/image.txt": (res) => res.writeHead(200, { "content-type": "image/png" }).end("png"),
    "/missing.txt": (res) => res.writeHead(404).end(),
    "/slow.txt": () => {},
    "/redirect.txt": (res) => res.writeHead(302, { location: "/ok.md" }).end(),
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const route = routes[req.url ?? ""];
      if (route) route(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const opts = { maxBytes: 1000, timeoutMs: 300, allowPrivateHosts: true };
  const att = (name: string, over: Partial<{ size: number; contentType: string | null; url: string }> = {}) => ({ name, url: `${base}/${name}`, size: 10, contentType: "text/plain", ...over });
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(AttachmentError);
    return (e as Error).message;
  };

  it("downloads an article file (following a redirect)", async () => {
    const file = await fetchAttachment(att("ok.md"), opts);
    expect(file.name).toBe("ok.md");
    expect(Buffer.from(file.bytes).toString()).toBe("# Title\n\nBody text.");
    const redirected = await fetchAttachment(att("redirect.txt"), opts);
    expect(Buffer.from(redirected.bytes).toString()).toContain("Body text.");
  });

  it("refuses what is not an article file, too big, unreachable, slow or served as something else", async () => {
    expect(await refusal(fetchAttachment(att("photo.png"), opts))).toMatch(/photo\.png is not a file type I can read\. Upload articles as \.txt, \.md, \.html, \.json or \.jsonl \(or a \.zip of such files\)\./);
    expect(await refusal(fetchAttachment(att("ok.md", { size: 5000 }), opts))).toMatch(/ok\.md is 0\.0 MiB; the limit is 0\.0 MiB/);
    expect(await refusal(fetchAttachment(att("ok.md", { contentType: "video/mp4" }), opts))).toMatch(/is video\/mp4, not an article file/);
    expect(await refusal(fetchAttachment(att("big.txt"), opts))).toMatch(/big\.txt is .* the limit is/);
    expect(await refusal(fetchAttachment(att("image.txt"), opts))).toMatch(/served as image\/png/);
    expect(await refusal(fetchAttachment(att("missing.txt"), opts))).toMatch(/HTTP 404/);
    expect(await refusal(fetchAttachment(att("slow.txt"), opts))).toMatch(/took longer than 0\.3 s/);
  });

  it("refuses private, loopback and link-local hosts unless allowed", async () => {
    const strict = { ...opts, allowPrivateHosts: false };
    expect(await refusal(fetchAttachment(att("ok.md"), strict))).toMatch(/private network address/);
    expect(await refusal(fetchAttachment(att("ok.md", { url: "http://internal.example/ok.md" }), { ...strict, resolve: async () => ["10.1.2.3"] }))).toMatch(/private network address/);
    expect(await refusal(fetchAttachment(att("ok.md", { url: "file:///etc/passwd" }), strict))).toMatch(/not http\(s\)/);
    for (const a of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:7f00:1"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["162.159.128.233", "8.8.8.8", "2606:4700::6810:84e5"]) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe("startBot start-up", () => {
  const stubLibrary = { stats: () => ({ articles: 0, paragraphs: 0, sentences: 0, generation: 0 }), feeds: { intervalMs: 900_000, nextDue: () => null } } as unknown as Library;

  it("turns a rejected token into a ConfigError that says what to do", async () => {
    const fake = await startFakeDiscord({ token: "right-token" });
    try {
      const start = startBot({ library: stubLibrary, config: testBotConfig(fake, { token: "wrong-token" }), log: createLogger({ sink: () => {} }), clientOptions: FAST_CLIENT_OPTIONS });
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toThrow(/Discord rejected DISCORD_TOKEN/);
    } finally {
      await fake.close();
    }
  });

  it("requests the Message Content intent only when DISCORD_MESSAGE_CONTENT is on, registers globally without a guild, and says so", async () => {
    const fake = await startFakeDiscord();
    const lines: string[] = [];
    try {
      const bot = await startBot({
        library: stubLibrary,
        config: testBotConfig(fake, { messageContent: true, guilds: [], moderatorRoles: anyServer("Editors"), rateLimit: null }),
        log: createLogger({ sink: (l) => lines.push(l) }),
        clientOptions: FAST_CLIENT_OPTIONS,
      });
      expect(fake.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent);
      expect(fake.commands.every((c) => c.guild_id === undefined)).toBe(true);
      expect(bot.commandScope).toBe("global");
      await bot.stop();
      const text = lines.join("\n");
      expect(text).toMatch(/Message Content intent: on \(privileged: must be enabled in the developer portal\)/);
      expect(text).toMatch(/registered globally/);
      expect(text).toMatch(/Moderators: Manage Messages or Manage Server, or role Editors, in the newsroom's servers only\. Rate limit: off\./);
      expect(text).toMatch(/WARN  No newsroom server is configured, so \/ingest and \/forget are refused everywhere\. Set DISCORD_GUILDS/);
      fake.assertClean();
    } finally {
      await fake.close();
    }
  });
});
