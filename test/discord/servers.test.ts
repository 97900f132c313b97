import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { InteractionResponseType, PermissionFlagsBits } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, type Requester } from "../../src/discord/access.ts";
import { COMMAND_DEFINITIONS } from "../../src/discord/commands/index.ts";
import type { BotHandle } from "../../src/discord/bot.ts";
import { loadBotConfig } from "../../src/discord/config.ts";
import { LEAVE_NOTICE } from "../../src/discord/servers.ts";
import type { Library } from "../../src/library-types.ts";
import { PermissionsBitField } from "discord.js";
import { anyServer, expectCleanTrafficAfterEach, forgetConfirmed, paragraphButtons, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";
const EPHEMERAL = 64;
const INVENTED = `# Kremlin concedes every point

Russia accepted all of the U.S. proposals on Tuesday, an invented report claimed.
`;
const invented = { file: { name: "scoop.md", data: INVENTED, contentType: "text/markdown" } };
const ADMIN = PermissionFlagsBits.Administrator;

const refusalOf = async (h: InteractionHandle) => {
  const cb = await h.waitForCallback();
  expect(cb.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(Number(cb.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  return cb.data?.content ?? "";
};

describe("only the newsroom's own servers change the coverage (real discord.js against the fake)", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  let seedId: string;
  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    seedId = lib.articles()[0]!.id;
  });
  afterAll(async () => cleanup?.());

  describe("with the default: other servers are left", () => {
    let fake: FakeDiscord;
    let bot: BotHandle;
    let logs: string[];
    let stranger: FakeGuild;
    beforeAll(async () => {
      fake = await startFakeDiscord();
      // An earlier configuration without DISCORD_GUILDS registered the commands globally.
      const earlier = await startTestBot(fake, lib, { guilds: [] });
      await earlier.bot.stop();
      expect(fake.commands.some((c) => c.guild_id === undefined && c.name === "ingest")).toBe(true);
      stranger = fake.addGuild({ name: "Strangers' Den" });
      ({ bot, logs } = await startTestBot(fake, lib, { moderatorRoles: anyServer("moderator") }));
    });
    expectCleanTrafficAfterEach(() => fake);
    afterAll(async () => {
      await bot?.stop();
      await fake?.close();
    });

    it("at start-up lists its servers, leaves the stranger's with one notice, and removes the stale global commands", () => {
      expect(fake.commands.filter((c) => c.guild_id === undefined)).toEqual([]);
      expect(fake.commands.filter((c) => c.guild_id === fake.guildId).map((c) => c.name).sort()).toEqual(["articles", "ask", "check", "corrections", "feeds", "forget", "gaps", "help", "ingest", "receipt", "source", "web"]);
      expect(fake.commands.some((c) => c.guild_id === stranger.id)).toBe(false);
      const text = logs.join("\n");
      expect(text).toContain(`Removed ${COMMAND_DEFINITIONS.length} global commands left from an earlier configuration`);
      expect(text).toMatch(/"Newsroom" \(\d+\): newsroom server, all commands/);
      expect(text).toMatch(/"Strangers' Den" \(\d+\): not a newsroom server; left it/);
      expect(text).toMatch(/WARN .*not the newsroom's\. Turn off "Public Bot"/);
    });

    it("says once why it leaves a server it is added to, and leaves it", async () => {
      fake.clearRecords();
      const other = fake.addGuild({ name: "Another Place" });
      const notice = await fake.waitForMessage((m) => m.channelId === other.channelId, 5000);
      expect(notice.body.content).toBe(LEAVE_NOTICE);
      expect(notice.body.allowed_mentions?.parse).toEqual([]);
      await fake.waitForRequest((r) => r.method === "DELETE" && r.path === `/users/@me/guilds/${other.id}`, 5000);
      expect(fake.leftGuilds).toEqual([other.id]);
      expect(fake.sentMessages.filter((m) => m.channelId === other.channelId)).toHaveLength(1);
      await bot.idle();
      expect(logs.some((l) => /Added to server "Another Place" \(\d+\): not a newsroom server; left it/.test(l))).toBe(true);
    });

    it("refuses an admin of an unlisted server /ingest, /forget and /ask, with a reason, changing nothing, and logs it", async () => {
      const admin = fake.user({ username: "stranger-admin", permissions: ADMIN });
      const before = lib.articles();
      expect(await refusalOf(fake.slash(admin, "ingest", {}, { attachments: invented, from: stranger }))).toMatch(
        /^This server is not one of the newsroom's servers, so nobody can add articles from here\. Nothing was changed\./,
      );
      expect(await refusalOf(fake.slash(admin, "forget", { article: seedId }, { from: stranger }))).toMatch(/nobody can remove articles from here/);
      expect(await refusalOf(fake.slash(admin, "ask", { question: PESKOV }, { from: stranger }))).toMatch(/I serve this newsroom's own servers only/);
      expect(await fake.autocomplete(admin, "forget", "article", "Ukraine", {}, stranger).waitForChoices()).toEqual([]);
      await bot.idle();
      expect(fake.downloads).toEqual([]);
      expect(lib.articles()).toEqual(before);
      expect(logs.some((l) => new RegExp(`/ingest by stranger-admin \\(m-[0-9a-f]{12}\\) refused: server not allowed \\(server ${stranger.id}\\)`).test(l))).toBe(true);
      expect(logs.some((l) => /\/forget by stranger-admin .* refused: server not allowed/.test(l))).toBe(true);
    });

    it("refuses buttons and ignores @mentions from an unlisted server it could not leave", async () => {
      const stuck = fake.addGuild({ name: "Sticky", refuseLeave: true });
      await fake.waitForRequest((r) => r.method === "DELETE" && r.path === `/users/@me/guilds/${stuck.id}`, 5000);
      await bot.idle();
      expect(logs.some((l) => /ERROR could not leave server "Sticky"/.test(l))).toBe(true);
      const member = fake.user({ username: "member" });
      const answer = await fake.slash(member, "ask", { question: PESKOV }).waitForEdit(undefined, 10_000);
      const [button] = paragraphButtons(lib, answer.components);
      const message = fake.sentMessages.find((m) => m.kind === "edit" && m.body === answer)!.message;
      const admin = fake.user({ username: "stranger-admin-2", permissions: ADMIN });
      expect(await refusalOf(fake.clickButton(admin, message, button!.customId, stuck))).toMatch(/I serve this newsroom's own servers only/);
      expect(await refusalOf(fake.slash(admin, "forget", { article: seedId }, { from: stuck }))).toMatch(/nobody can remove articles from here/);
      fake.clearRecords();
      fake.postMessage(admin, PESKOV, { mentionsBot: true, guild: stuck });
      await delay(300); // a reply, were one sent, is on its way by now
      await bot.idle();
      expect(fake.sentMessages).toEqual([]);
      expect(logs.some((l) => /mention by stranger-admin-2 .* ignored: server not allowed/.test(l))).toBe(true);
      expect(lib.articles().map((a) => a.id)).toEqual([seedId]);
    });

    it("never lets a direct message change the coverage", async () => {
      const admin = fake.user({ username: "dm-admin", permissions: ADMIN });
      const before = lib.articles();
      expect(await refusalOf(fake.slash(admin, "ingest", {}, { attachments: invented, from: "dm" }))).toMatch(/^You can't add articles in a direct message/);
      expect(await refusalOf(fake.slash(admin, "forget", { article: seedId }, { from: "dm" }))).toMatch(/^You can't remove articles in a direct message/);
      await bot.idle();
      expect(fake.downloads).toEqual([]);
      expect(lib.articles()).toEqual(before);
    });

    it("still lets the newsroom's moderators add and remove articles", async () => {
      const mod = fake.user({ username: "editor", roles: ["Moderator"] });
      const added = await fake.slash(mod, "ingest", {}, { attachments: invented }).waitForEdit(undefined, 10_000);
      expect(added.content).toMatch(/^scoop\.md: added 1/);
      const id = lib.articles().find((a) => a.title === "Kremlin concedes every point")!.id;
      expect((await forgetConfirmed(fake, mod, id)).result).toMatch(/^Removed "Kremlin concedes every point"/);
      expect(lib.articles().map((a) => a.id)).toEqual([seedId]);
    });
  });

  describe("with DISCORD_OTHER_SERVERS=read-only", () => {
    let fake: FakeDiscord;
    let bot: BotHandle;
    let other: FakeGuild;
    beforeAll(async () => {
      fake = await startFakeDiscord();
      other = fake.addGuild({ name: "Readers' Club" });
      ({ bot } = await startTestBot(fake, lib, { otherServers: "read-only" }));
    });
    afterAll(async () => {
      await bot?.stop();
      await fake?.close();
    });

    it("stays, offers only the reading commands there, answers, and still refuses changes", async () => {
      expect(fake.leftGuilds).toEqual([]);
      expect(fake.commands.filter((c) => c.guild_id === other.id).map((c) => c.name).sort()).toEqual(["articles", "ask", "help", "source"]);
      const admin = fake.user({ username: "club-admin", permissions: ADMIN });
      const answer = await fake.slash(admin, "ask", { question: PESKOV }, { from: other }).waitForEdit(undefined, 10_000);
      expect(answer.embeds?.[0]?.description).toContain("publicity");
      const reply = fake.postMessage(admin, PESKOV, { mentionsBot: true, guild: other });
      const sent = await fake.waitForMessage((m) => m.message.message_reference?.message_id === reply.id, 10_000);
      expect(sent.body.embeds?.[0]?.description).toContain("publicity");
      const before = lib.articles();
      expect(await refusalOf(fake.slash(admin, "ingest", {}, { attachments: invented, from: other }))).toMatch(/not one of the newsroom's servers/);
      expect(await refusalOf(fake.slash(admin, "forget", { article: seedId }, { from: other }))).toMatch(/not one of the newsroom's servers/);
      await bot.idle();
      expect(lib.articles()).toEqual(before);
      fake.assertClean();
    });
  });

  describe("with no newsroom server configured", () => {
    it("answers but refuses every change, saying how to configure it", async () => {
      const fake = await startFakeDiscord();
      try {
        const { bot } = await startTestBot(fake, lib, { guilds: [] });
        const admin = fake.user({ username: "owner", permissions: ADMIN });
        expect(await refusalOf(fake.slash(admin, "forget", { article: seedId }))).toMatch(/^Nobody can remove articles from Discord yet.*DISCORD_GUILDS=<server id>/);
        expect(lib.articles().map((a) => a.id)).toEqual([seedId]);
        await bot.stop();
        fake.assertClean();
      } finally {
        await fake.close();
      }
    });
  });
});

describe("roles per newsroom server", () => {
  const NEWSROOM = "111111111111111111";
  const BUREAU = "222222222222222222";
  const config = loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_GUILDS: `${NEWSROOM}, ${BUREAU}`, DISCORD_MODERATOR_ROLE: `${BUREAU}:Desk`, DISCORD_STAFF_ROLE: "Editors" });
  const requester = (guildId: string | null, roles: string[], permissions = 0n): Requester => ({
    guildId,
    permissions: new PermissionsBitField(permissions),
    roleIds: roles,
    roleName: (id) => id,
  });

  it("counts a role only in the server it is configured for, and a staff role in every newsroom server", () => {
    expect(config.guilds).toEqual([NEWSROOM, BUREAU]);
    expect(decide(config, requester(BUREAU, ["Desk"]), "moderate").ok).toBe(true);
    expect(decide(config, requester(NEWSROOM, ["Desk"]), "moderate").ok).toBe(false);
    expect(decide(config, requester("333333333333333333", ["Desk", "Editors"], ADMIN), "moderate").ok).toBe(false);
    expect(decide(config, requester(NEWSROOM, ["Editors"]), "staff").ok).toBe(true);
    expect(decide(config, requester(NEWSROOM, [], PermissionFlagsBits.ManageMessages), "staff")).toMatchObject({ ok: false, reason: "not staff" });
    expect(decide(config, requester(null, ["Editors"], ADMIN), "staff")).toMatchObject({ ok: false, reason: "direct message" });
  });

  it("refuses roles for a server that is not the newsroom's, and accepts DISCORD_GUILD_ID as the one-server case", () => {
    expect(() => loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_GUILDS: NEWSROOM, DISCORD_MODERATOR_ROLE: `${BUREAU}:Desk` })).toThrow(/roles are set for server 222222222222222222, which is not in DISCORD_GUILDS/);
    expect(() => loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_GUILDS: "newsroom" })).toThrow(/DISCORD_GUILDS must be server ids/);
    expect(loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_GUILD_ID: NEWSROOM }).guilds).toEqual([NEWSROOM]);
  });
});
