import { readFileSync } from "node:fs";
import { PermissionFlagsBits } from "discord.js";
import { InteractionResponseType } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { LIMITS, unescapeMarkdown } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { anyServer, expectCleanTrafficAfterEach, expectNoPings, expectWithinLimits, quotesOf, startTestBot } from "../support/bot.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const EPHEMERAL = 64;
const WAIT_MS = 10_000;
const isEphemeral = (flags: unknown) => (Number(flags ?? 0) & EPHEMERAL) !== 0;

describe("/check claim:, against the fake Discord with the real discord.js client", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  let logs: string[];

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    fake = await startFakeDiscord();
    ({ bot, logs } = await startTestBot(fake, lib, { staffRoles: anyServer("moderator") }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    try {
      await bot?.stop();
    } finally {
      await fake?.close();
      await cleanup?.();
    }
  });

  const staff = () => fake.user({ username: "desk-editor", permissions: String(PermissionFlagsBits.ManageGuild) });

  it("is registered, and shows staff privately the verdict, each fact and the evidence quoted verbatim", async () => {
    expect(fake.commands.find((c) => c.name === "check")?.options?.map((o) => o.name)).toEqual(["claim"]);
    const h = fake.slash(staff(), "check", { claim: "The leaked U.S. draft proposals contained 30 points in total." });
    const ack = await h.waitForCallback(undefined, WAIT_MS);
    expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(ack.data?.flags)).toBe(true);
    const edit = await h.waitForEdit(undefined, WAIT_MS);
    expectWithinLimits(edit);
    expectNoPings(edit);
    const embed = edit.embeds![0]!;
    expect(embed.title).toBe("The coverage says otherwise");
    const text = unescapeMarkdown(embed.description ?? "");
    expect(text).toContain("**Claim:** The leaked U.S. draft proposals contained 30 points in total.");
    expect(text).toContain("✗ 30: the coverage says “28”");
    const quotes = quotesOf({ description: embed.description!.slice(embed.description!.indexOf("> ")) });
    expect(quotes.length).toBeGreaterThan(0);
    const source = embed.fields!.find((f) => f.name.startsWith(`[${quotes[0]!.n}] `))!;
    const paragraph = Number(/paragraph (\d+)/.exec(source.value)![1]);
    const [stored] = lib.paragraph(lib.articles()[0]!.id, paragraph)!;
    expect(stored!.text).toContain(quotes[0]!.text);
    await bot.idle();
    expect(logs.some((l) => /\/check by desk-editor \(m-[0-9a-f]{12}\): .* -> contradicted/.test(l))).toBe(true);
  });

  it("says plainly that a claim the coverage does not address is not covered, never that it is false", async () => {
    const h = fake.slash(fake.user({ username: "staff-role", roles: ["Moderator"], permissions: "0" }), "check", { claim: "The weather in Lisbon was sunny on Monday." });
    const edit = await h.waitForEdit(undefined, WAIT_MS);
    expectWithinLimits(edit);
    const embed = edit.embeds![0]!;
    expect(embed.title).toMatch(/^Not covered: .*does not make it false/);
    expect(embed.title).not.toMatch(/is false/i);
    expect(quotesOf(embed)).toEqual([]);
    expect(embed.description).toContain("closest coverage; they do not address the claim");
  });

  it("echoes a claim full of Markdown, links and pings as plain text, within every limit", async () => {
    const claim = `@everyone [click](https://evil.example) **Peskov** said <@123> would provide continuous public updates ${"and more words ".repeat(25)}`.slice(0, 500);
    const edit = await fake.slash(staff(), "check", { claim }).waitForEdit(undefined, WAIT_MS);
    expectWithinLimits(edit);
    expectNoPings(edit);
    const description = edit.embeds![0]!.description!;
    expect(description).not.toContain("](https://");
    expect(description).toContain("https:\u200b//evil.example");
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
  });

  it("refuses a member who is not staff, privately and with the reason, and checks nothing", async () => {
    const reader = fake.user({ username: "curious-reader", permissions: "0" });
    const cb = await fake.slash(reader, "check", { claim: "Russia rejected all of the U.S. proposals" }).waitForCallback(undefined, WAIT_MS);
    expect(cb.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(cb.data?.flags)).toBe(true);
    expect(cb.data?.content).toMatch(/^Only newsroom staff can check claims: members with the Manage Server permission, or the "moderator" role\./);
    expect(logs.some((l) => /\/check by curious-reader .*refused: not staff/.test(l))).toBe(true);
    expect(logs.some((l) => /\/check by curious-reader \(m-[0-9a-f]{12}\): /.test(l))).toBe(false);
  });

  it("refuses a claim that is too long with the reason, before checking anything", async () => {
    const cb = await fake.slash(staff(), "check", { claim: `${"The talks went on and on. ".repeat(20)}x` }).waitForCallback(undefined, WAIT_MS);
    expect(isEphemeral(cb.data?.flags)).toBe(true);
    expect(cb.data?.content).toMatch(/^The claim is \d+ characters long; the limit is 500\. Check one statement at a time\./);
  });
});
