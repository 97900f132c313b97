import { InteractionResponseType, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import type { BotContext } from "../../src/discord/context.ts";
import { nextDigestAt, startGapsDigest } from "../../src/discord/gaps-digest.ts";
import { createLogger } from "../../src/discord/log.ts";
import { unescapeMarkdown } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { anyServer, expectCleanTrafficAfterEach, expectWithinLimits, startTestBot, testBotConfig } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord, type InteractionHandle } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const HARBOUR = [
  "The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million euros for restoring the old lighthouse.",
  "Councillor Marta Quental said the restoration would begin in the spring and take two years.",
  "Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.",
];
const record = (paragraphs: string[]) => JSON.stringify({ id: "harbour-lighthouse", title: "Harbour council approves the lighthouse budget", paragraphs });
const ANSWER_MS = 20_000;
const isEphemeral = (flags: number | undefined) => ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe("staff tools in Discord: /receipt and /gaps (real discord.js against the fake)", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  let logs: string[];

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([{ name: "harbour.jsonl", bytes: new TextEncoder().encode(record(HARBOUR)) }]);
    fake = await startFakeDiscord();
    ({ bot, logs } = await startTestBot(fake, lib, { moderatorRoles: anyServer("Moderator"), gapsDigestChannel: fake.channelId }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.();
  });

  const staff = () => fake.user({ username: "desk-editor", permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages });
  /** A staff command's reply: acknowledged privately first, then the edit. */
  async function privately(h: InteractionHandle) {
    const ack = await h.waitForCallback(undefined, ANSWER_MS);
    expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(ack.data?.flags)).toBe(true);
    const body = await h.waitForEdit(undefined, ANSWER_MS);
    expectWithinLimits(body);
    return body;
  }

  it("shows a staff member the receipt of an answer by the id under it, and after a correction which cited paragraph no longer reads the same", async () => {
    const asked = await fake.slash(fake.user({ username: "reader" }), "ask", { question: "How much is the lighthouse budget?" }).waitForEdit(undefined, ANSWER_MS);
    const id = /receipt (R-[0-9A-Z]{6})/.exec(asked.embeds?.[0]?.footer?.text ?? "")?.[1];
    expect(id, "the receipt id in the answer's footer").toBeDefined();

    const before = (await privately(fake.slash(staff(), "receipt", { id: id! }))).embeds![0]!;
    expect(before.title).toBe(`Receipt ${id}`);
    const description = unescapeMarkdown(before.description ?? "");
    expect(description).toContain("**Asked:** How much is the lighthouse budget?");
    expect(description).toMatch(/\*\*Answer:\*\* answered \(confidence 0\.\d\d\), hybrid retrieval, store generation \d+/);
    expect(description).toContain(`**Where:** Discord, server ${fake.guildId}, channel ${fake.channelId}, member m-`);
    expect(description).toContain("4.2 million euros");
    expect(before.fields?.map((f) => [unescapeMarkdown(f.name), f.value.split("\n")[0]])).toEqual([["[1] Harbour council approves the lighthouse budget", "Paragraph 1 reads the same today"]]);
    expect(before.footer?.text).toBe("Cited paragraphs · Every cited paragraph reads as it did.");

    // A moderator uploads the corrected story: the cited paragraph now gives another figure.
    const corrected = [HARBOUR[0]!.replace("4.2 million", "4.8 million"), ...HARBOUR.slice(1)];
    const upload = fake.slash(fake.user({ username: "editor", roles: ["Moderator"] }), "ingest", {}, { attachments: { file: { name: "harbour.jsonl", data: record(corrected), contentType: "application/jsonl" } } });
    expect((await upload.waitForEdit(undefined, ANSWER_MS)).content).toMatch(/replaced 1/);

    const after = (await privately(fake.slash(staff(), "receipt", { id: id!.toLowerCase() }))).embeds![0]!;
    expect(after.fields?.[0]?.value.split("\n")[0]).toBe("⚠️ **Paragraph 1 no longer reads the same (the quoted words are no longer in it)**");
    expect(after.footer?.text).toBe("Cited paragraphs · Some cited paragraphs changed since this answer was given.");
    expect(logs.some((l) => l.includes(`receipt ${id} read by desk-editor (m-`) && l.includes("changed"))).toBe(true);
  });

  it("says plainly when an id is malformed or no receipt is kept, without echoing a link", async () => {
    const malformed = await privately(fake.slash(staff(), "receipt", { id: "https://evil.example/x" }));
    expect(malformed.content).toMatch(/is not a receipt id: they look like R-7K3Q9X/);
    expect(malformed.content).not.toMatch(/https?:\/\/\S/);
    const unknown = await privately(fake.slash(staff(), "receipt", { id: "R-000000" }));
    expect(unknown.content).toMatch(/^No receipt R-000000 is kept: no answer had that id, or it is older than the receipts' retention/);
  });

  it("lists a topic asked twice and declined first, an answer rated not helpful as a topic of its own, a closest reply rated not helpful once", async () => {
    for (const question of ["What's the weather like in Lisbon?", "lisbon weather tomorrow??"]) {
      const reply = await fake.slash(fake.user({ username: "curious" }), "ask", { question }).waitForEdit(undefined, ANSWER_MS);
      expect(reply.content).toMatch(/couldn't find an answer/);
    }
    // Rated 👎 by a member: an answer (counted as not helpful) and a closest-coverage reply (already counted, so once).
    const ana = fake.user({ username: "ana" });
    for (const question of ["How much is the lighthouse budget?", "when does the councillor say the restoration begins"]) {
      const h = fake.slash(ana, "ask", { question });
      await h.waitForEdit(undefined, ANSWER_MS);
      // The bot links the message to its receipt once Discord has confirmed the edit, then logs the answer.
      await vi.waitFor(() => expect(logs.some((l) => l.includes(`ask by ana (`) && l.includes(question))).toBe(true));
      expect((await fake.clickButton(ana, h.original()!, "fb:n").waitForCallback()).data?.content).toMatch(/not helpful/);
    }
    expect(logs.find((l) => l.includes("ask by ana (") && l.includes("lighthouse budget"))).toMatch(/-> answered/);
    expect(logs.find((l) => l.includes("ask by ana (") && l.includes("restoration"))).toMatch(/-> closest/);

    const embed = (await privately(fake.slash(staff(), "gaps", {}))).embeds![0]!;
    expect(embed.title).toBe("What the community asked and the coverage did not answer, the last 7 days");
    const lines = unescapeMarkdown(embed.description ?? "").split("\n");
    expect(lines[0]).toMatch(/^\*\*1\. lisbon, weather\*\* — 2 \(2 declined, 0 not helpful\), last asked <t:\d+:R>$/);
    expect(lines[1]).toBe("   e.g. “lisbon weather tomorrow??”");
    expect(lines.filter((l) => l.startsWith("**")).map((l) => l.replace(/^\*\*\d+\. /, "").replace(/, last asked.*/, "")).sort()).toEqual([
      "begins, councillor, restoration** — 1 (1 declined, 0 not helpful)",
      "budget, lighthouse** — 1 (0 declined, 1 not helpful)",
      "lisbon, weather** — 2 (2 declined, 0 not helpful)",
    ]);
    expect(embed.footer?.text).toMatch(/^\d+ unanswered since \d{4}-\d\d-\d\d/);

    // One day back still holds today's questions; the option's bounds are Discord's and the bot's.
    const day = (await privately(fake.slash(staff(), "gaps", { days: 1 }))).embeds![0]!;
    expect(day.title).toMatch(/the last 1 day$/);
    expect(unescapeMarkdown(day.description ?? "")).toContain("**1. lisbon, weather** — 2");
    expect(fake.commands.find((c) => c.name === "gaps")?.options?.[0]).toMatchObject({ name: "days", min_value: 1, max_value: 365 });
  });

  it("refuses /receipt and /gaps to members who are not staff, and says why", async () => {
    const user = fake.user({ username: "member" });
    const receipt = await fake.slash(user, "receipt", { id: "R-000000" }).waitForCallback();
    expect(isEphemeral(receipt.data?.flags)).toBe(true);
    expect(receipt.data?.content).toBe("Only newsroom staff can read answer receipts: members with the Manage Server permission. Nothing was changed.");
    const gaps = await fake.slash(user, "gaps", {}).waitForCallback();
    expect(isEphemeral(gaps.data?.flags)).toBe(true);
    expect(gaps.data?.content).toMatch(/^Only newsroom staff can see what the community asked and the coverage did not answer: members with the Manage Server permission\./);
    expect(logs.some((l) => /\/gaps by member \(m-[0-9a-f]{12}\) refused: not staff/.test(l))).toBe(true);
  });

  it("posts the week's gaps to the staff channel as a digest, scheduled for Mondays 09:00 UTC, and only to a newsroom server", async () => {
    const next = bot.gapsDigest!.nextAt();
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 9, 0]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    expect(logs.some((l) => l.endsWith(`INFO  Weekly gaps digest to channel ${fake.channelId} (GAPS_DIGEST_CHANNEL): next on ${next.toISOString().slice(0, 16).replace("T", " ")} UTC.`))).toBe(true);

    expect(await bot.gapsDigest!.post()).toBe(true);
    const posted = fake.sentMessages.filter((m) => m.kind === "channel" && m.channelId === fake.channelId).at(-1)!;
    expect(posted.ephemeral).toBe(false);
    expectWithinLimits(posted.body);
    expect(posted.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(posted.body.embeds?.[0]?.title).toBe("What the community asked and the coverage did not answer, the last 7 days");
    expect(unescapeMarkdown(posted.body.embeds?.[0]?.description ?? "")).toContain("**1. lisbon, weather** — 2");

    // A channel the bot cannot see in the newsroom's servers gets nothing, and the log says why.
    const elsewhere = startGapsDigest({ lib, config: testBotConfig(fake), log: createLogger({ level: "info", sink: (l) => logs.push(l) }) } as BotContext, bot.client, "123456789012345678", () => {});
    expect(await elsewhere.post()).toBe(false);
    elsewhere.stop();
    expect(logs.some((l) => l.includes("Gaps digest not posted: channel 123456789012345678 (GAPS_DIGEST_CHANNEL) is not a text channel the bot can post to in one of the newsroom's servers."))).toBe(true);
  });

  it("finds the next Monday 09:00 UTC strictly after any moment", () => {
    const next = (iso: string) => nextDigestAt(new Date(iso)).toISOString();
    expect(next("2026-12-02T15:00:00.000Z")).toBe("2026-12-07T09:00:00.000Z");
    expect(next("2026-12-07T08:59:59.000Z")).toBe("2026-12-07T09:00:00.000Z");
    expect(next("2026-12-07T09:00:00.000Z")).toBe("2026-12-14T09:00:00.000Z");
    expect(next("2026-12-27T23:00:00.000Z")).toBe("2026-12-28T09:00:00.000Z");
  });
});
