/**
 * Running the project's Discord bot in-process against the fake Discord (./fake-discord.ts), and
 * reading its answer messages back.
 *
 *   const fake = await startFakeDiscord();
 *   const { bot, logs } = await startTestBot(fake, lib, { rateLimit: { count: 3, windowMs: 60_000 } });
 *   ...
 *   await bot.stop();
 */
import type { APIEmbed, APIMessage, ClientOptions } from "discord.js";
import { afterEach, expect } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { startBot, type BotHandle } from "../../src/discord/bot.ts";
import { resolveRef } from "../../src/discord/articles.ts";
import { parseCustomId } from "../../src/discord/buttons.ts";
import type { BotConfig, RoleRules } from "../../src/discord/config.ts";
import { createLogger } from "../../src/discord/log.ts";
import { embedLength } from "discord.js";
import { LIMITS, unescapeMarkdown } from "../../src/discord/render.ts";
import type { FakeDiscord, FakeUser, MessageBody } from "../../tools/fake-discord/server.ts";

/** Role rules that apply in every newsroom server: `anyServer("moderator")`. */
export const anyServer = (...roles: string[]): RoleRules => ({ all: roles, byGuild: {} });

/** A config for the fake: its token, REST URL and guild (the one newsroom server); attachments from 127.0.0.1 allowed; no rate limit. */
export function testBotConfig(fake: Pick<FakeDiscord, "token" | "apiUrl" | "guildId">, overrides: Partial<BotConfig> = {}): BotConfig {
  return {
    token: fake.token,
    guilds: [fake.guildId],
    otherServers: "leave",
    apiUrl: fake.apiUrl,
    moderatorRoles: anyServer(),
    staffRoles: anyServer(),
    mentions: true,
    messageContent: false,
    rateLimit: null,
    lookupRateLimit: null,
    logLevel: "debug",
    attachmentMaxBytes: 10 * 1024 * 1024,
    attachmentTimeoutMs: 5000,
    allowPrivateAttachmentHosts: true,
    gapsDigestChannel: null,
    feedsAnnounceChannel: null,
    feedsReportChannel: null,
    ...overrides,
  };
}

/** After each test: fail it on unexpected traffic the fake saw (unknown routes, rejected payloads), then forget the traffic. */
export function expectCleanTrafficAfterEach(fake: () => FakeDiscord): void {
  afterEach(() => {
    try {
      fake().assertClean();
    } finally {
      fake().clearRecords();
    }
  });
}

/** No identify throttling or REST self-limit: keeps reconnect tests and bursts fast. */
export const FAST_CLIENT_OPTIONS: Partial<ClientOptions> = {
  rest: { globalRequestsPerSecond: 1e6 },
  ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
};

export async function startTestBot(
  fake: FakeDiscord,
  library: Library,
  overrides: Partial<BotConfig> = {},
): Promise<{ bot: BotHandle; logs: string[]; config: BotConfig }> {
  const config = testBotConfig(fake, overrides);
  const logs: string[] = [];
  const log = createLogger({ level: config.logLevel, sink: (line) => logs.push(line), secrets: [config.token] });
  const bot = await startBot({ library, config, log, clientOptions: FAST_CLIENT_OPTIONS, drainTimeoutMs: 10_000 });
  return { bot, logs, config };
}

/**
 * `/forget article:` as a moderator does it: the command shows the exact article, then the
 * "Remove it" button removes it. Returns the confirmation shown and the final message's text.
 */
export async function forgetConfirmed(fake: FakeDiscord, user: FakeUser, article: string, timeoutMs = 10_000): Promise<{ asked: MessageBody; result: string }> {
  const h = fake.slash(user, "forget", { article });
  const asked = await h.waitForEdit(undefined, timeoutMs);
  const ids = ((asked.components ?? []) as { components?: { custom_id?: string }[] }[]).flatMap((r) => r.components ?? []).map((c) => c.custom_id ?? "");
  const remove = ids.find((id) => id.startsWith("forget:"));
  if (!remove) throw new Error(`no "Remove it" button under: ${asked.content}`);
  const click = await fake.clickButton(user, h.original()!, remove).waitForCallback(undefined, timeoutMs);
  return { asked, result: click.data?.content ?? "" };
}

export interface RenderedQuote {
  /** The quoted words as a reader sees them (Markdown escapes removed), without the "…" of a cut. */
  text: string;
  cut: boolean;
  n: number;
  /** The line under it saying whose words they are ("attributed to Dmitry Peskov, as reported by V7N"), if any. */
  whose?: string;
}

/** The quotes of an answer embed: "> text **[n]**" blocks, each with its "*— whose words*" line. */
export function quotesOf(embed: APIEmbed | undefined): RenderedQuote[] {
  const description = embed?.description ?? "";
  return description.split("\n\n").flatMap((block) => {
    const m = /^> ([\s\S]*?)(…)? \*\*\[(\d+)\]\*\*(?:\n\*— ([^\n]*)\*)?$/.exec(block);
    if (!m) return [];
    const quote: RenderedQuote = { text: unescapeMarkdown(m[1]!.split("\n> ").join("\n")), cut: m[2] !== undefined, n: Number(m[3]) };
    return [m[4] === undefined ? quote : { ...quote, whose: unescapeMarkdown(m[4]) }];
  });
}

/** Show-paragraph buttons: citation number (from the label) -> article id and paragraph. */
export function paragraphButtons(lib: Library, components: unknown): { n: number | null; articleId: string; paragraph: number; customId: string; label: string }[] {
  const out: { n: number | null; articleId: string; paragraph: number; customId: string; label: string }[] = [];
  for (const row of (components ?? []) as { components?: { custom_id?: string; label?: string }[] }[]) {
    for (const c of row.components ?? []) {
      const parsed = c.custom_id ? parseCustomId(c.custom_id) : null;
      if (parsed?.kind !== "paragraph") continue;
      const found = resolveRef(lib, parsed.ref);
      if (!found.ok) throw new Error(`button ${c.custom_id} names no article`);
      const n = /^\[(\d+)\]/.exec(c.label ?? "");
      out.push({ n: n ? Number(n[1]) : null, articleId: found.article.id, paragraph: parsed.paragraph, customId: c.custom_id!, label: c.label ?? "" });
    }
  }
  return out;
}

/**
 * The product's promise, checked on the message as sent: every quote (or, when cut, the part shown
 * before "…") is verbatim in the paragraph its citation's button opens.
 */
export function expectQuotesVerbatim(lib: Library, body: Pick<MessageBody, "embeds" | "components">): RenderedQuote[] {
  const quotes = quotesOf(body.embeds?.[0]);
  expect(quotes.length).toBeGreaterThan(0);
  const buttons = paragraphButtons(lib, body.components);
  for (const q of quotes) {
    const b = buttons.find((x) => x.n === q.n);
    expect(b, `a show-paragraph button for citation [${q.n}]`).toBeDefined();
    const [stored] = lib.paragraph(b!.articleId, b!.paragraph) ?? [];
    expect(stored, `paragraph ${b!.paragraph} of ${b!.articleId}`).toBeDefined();
    expect(stored!.text).toContain(q.text);
    if (q.cut) expect(q.text.length).toBeLessThan(stored!.text.length);
  }
  return quotes;
}

/** Every Discord limit, asserted on a message body (the fake also rejects violations with 400). */
export function expectWithinLimits(body: Pick<MessageBody, "content" | "embeds" | "components">): void {
  expect((body.content ?? "").length).toBeLessThanOrEqual(LIMITS.content);
  const embeds = body.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  let total = 0;
  for (const e of embeds) {
    expect((e.title ?? "").length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect((e.description ?? "").length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect((e.footer?.text ?? "").length).toBeLessThanOrEqual(LIMITS.footer);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    total += embedLength(e);
  }
  expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
  const rows = (body.components ?? []) as { components?: { custom_id?: string; label?: string }[] }[];
  expect(rows.length).toBeLessThanOrEqual(LIMITS.rows);
  for (const row of rows) {
    expect((row.components ?? []).length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const c of row.components ?? []) {
      expect((c.custom_id ?? "").length).toBeLessThanOrEqual(100);
      expect((c.label ?? "").length).toBeLessThanOrEqual(80);
    }
  }
}

/** Nothing in the message pings: allowed mentions off, and the fake computed no mentions. */
export function expectNoPings(body: Pick<MessageBody, "allowed_mentions">, message?: APIMessage): void {
  expect(body.allowed_mentions?.parse).toEqual([]);
  expect(body.allowed_mentions?.users ?? []).toEqual([]);
  expect(body.allowed_mentions?.roles ?? []).toEqual([]);
  expect(body.allowed_mentions?.replied_user ?? false).toBe(false);
  if (message) {
    expect(message.mention_everyone).toBe(false);
    expect(message.mentions).toEqual([]);
    expect(message.mention_roles).toEqual([]);
  }
}
