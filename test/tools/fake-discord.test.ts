import { once } from "node:events";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type ClientEvents,
  type Interaction,
  type Message,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestClient, destroyTestClient, waitForShardsReady } from "../support/discord-client.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";

/** Next emission of `event` on the client (rejects after 2 s). */
async function next<E extends keyof ClientEvents>(client: Client, event: E, filter: (...args: ClientEvents[E]) => boolean = () => true): Promise<ClientEvents[E]> {
  const signal = AbortSignal.timeout(2000);
  for (;;) {
    const args = (await once(client, event, { signal })) as ClientEvents[E];
    if (filter(...args)) return args;
  }
}
const nextInteraction = async (client: Client) => (await next(client, Events.InteractionCreate))[0] as Interaction;

describe("fake Discord with the real discord.js client", () => {
  let fake: FakeDiscord;
  let client: Client<true>;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = await createTestClient(fake);
  });
  afterEach(() => {
    client.removeAllListeners(Events.InteractionCreate);
    client.removeAllListeners(Events.MessageCreate);
    fake.clearRecords();
  });
  afterAll(async () => {
    try {
      await destroyTestClient(client);
    } finally {
      await fake.close();
    }
  });

  it("logs in and becomes ready with the guild, channel and roles cached", () => {
    expect(client.user.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.roles.cache.map((r) => r.name)).toEqual(expect.arrayContaining(["@everyone", "Moderator"]));
    const channel = client.channels.cache.get(fake.channelId);
    expect(channel?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.permissionsIn(fake.channelId).has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(fake.stats.identifies).toBe(1);
    expect(fake.intents).toBeGreaterThan(0);
  });

  it("registers application commands over REST", async () => {
    await client.application.commands.set([
      { name: "ask", description: "Ask the archive", options: [{ name: "question", description: "q", type: 3, required: true, autocomplete: true }] },
    ]);
    expect(fake.commands.map((c) => c.name)).toEqual(["ask"]);
    await client.application.commands.set([{ name: "ping", description: "p" }], fake.guildId);
    expect(fake.commands.find((c) => c.name === "ping")?.guild_id).toBe(fake.guildId);
    fake.assertClean();
  });

  it("delivers a slash command as ChatInputCommandInteraction with typed options and member permissions", async () => {
    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    const got = nextInteraction(client);
    fake.slash(mod, "search", { query: "budget vote", limit: 3, recent: true }, { attachments: { file: { name: "notes.txt", data: "hello", contentType: "text/plain" } } });
    const i = (await got) as ChatInputCommandInteraction;
    expect(i.isChatInputCommand()).toBe(true);
    expect(i.commandName).toBe("search");
    expect(i.options.getString("query")).toBe("budget vote");
    expect(i.options.getInteger("limit")).toBe(3);
    expect(i.options.getBoolean("recent")).toBe(true);
    const att = i.options.getAttachment("file", true);
    expect(att.name).toBe("notes.txt");
    expect(await (await fetch(att.url)).text()).toBe("hello");
    expect(fake.downloads).toHaveLength(1);
    expect(i.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(i.user.id).toBe(mod.id);
    expect(i.guildId).toBe(fake.guildId);
    expect(i.channelId).toBe(fake.channelId);

    const reader = fake.user({ username: "reader" });
    const got2 = nextInteraction(client);
    fake.slash(reader, "ask", { question: "Who won?" });
    const j = (await got2) as ChatInputCommandInteraction;
    expect(j.options.getString("question", true)).toBe("Who won?");
    expect(j.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(false);
    await j.reply("ok");
  });

  it("records deferReply + editReply with allowed_mentions and returns a complete message", async () => {
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      const msg = await i.editReply({ content: "Answer <@123456789012345678> [1]", allowedMentions: { parse: [] } });
      expect(msg.content).toContain("Answer");
    });
    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: "Q?" });
    expect((await h.waitForCallback()).type).toBe(5);
    const edit = await h.waitForEdit();
    expect(edit.content).toBe("Answer <@123456789012345678> [1]");
    expect(edit.allowed_mentions).toEqual({ parse: [] });
    const patch = fake.requests.find((r) => r.method === "PATCH");
    expect(patch?.path).toBe(`/webhooks/${fake.applicationId}/${h.token}/messages/@original`);
    expect(patch?.headers["authorization"]).toBeUndefined();
    expect(h.original()?.flags ?? 0).toBe(0); // loading flag cleared
    expect(fake.sentMessages.map((m) => m.kind)).toEqual(["edit"]);
    fake.assertClean();
  });

  it("supports withResponse, multipart follow-ups with files, typing and channel fetches", async () => {
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      const res = await i.deferReply({ withResponse: true });
      expect(res.interaction.responseMessageLoading).toBe(true);
      if (i.channel?.isSendable()) await i.channel.sendTyping();
      await client.channels.fetch(fake.channelId, { force: true });
      await i.followUp({ content: "sources attached", files: [{ attachment: Buffer.from("a,b\n1,2"), name: "sources.csv" }] });
      await i.followUp({ content: "second", flags: MessageFlags.Ephemeral });
    });
    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: "Q?" });
    const first = await h.waitForFollowup();
    expect(first.files.map((f) => [f.name, f.data.toString()])).toEqual([["sources.csv", "a,b\n1,2"]]);
    // the first follow-up after a deferral replaces the "thinking..." message
    const firstReply = await h.waitForReply((m) => m.kind === "followup");
    expect(firstReply.message.id).toBe(h.original()?.id);
    const url = h.original()?.attachments[0]?.url ?? "";
    expect(await (await fetch(url)).text()).toBe("a,b\n1,2");
    const second = await h.waitForReply((m) => m.body.content === "second");
    expect(second.ephemeral).toBe(true);
    expect(second.message.id).not.toBe(h.original()?.id);
    expect(fake.typing).toHaveLength(1);
    expect(fake.requests.some((r) => r.method === "GET" && r.path === `/channels/${fake.channelId}`)).toBe(true);
    fake.assertClean();
  });

  it("answers autocomplete (type 8 choices)", async () => {
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.name}:${focused.value}`, value: "x" }]);
    });
    const h = fake.autocomplete(fake.user({ username: "ana" }), "ask", "question", "bud");
    expect(await h.waitForChoices()).toEqual([{ name: "question:bud", value: "x" }]);
  });

  it("delivers a button click on the bot's message as ButtonInteraction, and records update (type 7)", async () => {
    client.on(Events.InteractionCreate, async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("more:1").setLabel("More").setStyle(ButtonStyle.Secondary));
        await i.reply({ content: "first", components: [row] });
      } else if (i.isButton()) {
        await i.update({ content: `clicked ${i.customId} on ${i.message.content}`, components: [] });
      }
    });
    const u = fake.user({ username: "ana" });
    const h = fake.slash(u, "ask", { question: "Q?" });
    await h.waitForCallback(4);
    const original = h.original();
    expect(original?.components).toHaveLength(1);
    const clicked = next(client, Events.InteractionCreate, (i) => i.isButton());
    const b = fake.clickButton(u, original!, "more:1");
    const [bi] = (await clicked) as [ButtonInteraction];
    expect(bi.customId).toBe("more:1");
    expect(bi.message.id).toBe(original!.id);
    expect((await b.waitForCallback(7)).data?.content).toBe("clicked more:1 on first");
    expect(fake.message(original!.id)?.content).toBe("clicked more:1 on first");
    expect(() => fake.clickButton(u, original!, "more:1")).toThrow(/no component/);
  });

  it("delivers MESSAGE_CREATE as messageCreate, records the reply and echoes the bot's own message", async () => {
    const seen: Message[] = [];
    client.on(Events.MessageCreate, async (m) => {
      seen.push(m);
      if (m.author.bot) return;
      await m.reply({ content: `you said: ${m.content}`, allowedMentions: { repliedUser: false } });
    });
    const u = fake.user({ username: "ana" });
    const posted = fake.postMessage(u, "what about the budget?", { mentionsBot: true });
    const reply = await fake.waitForMessage((m) => m.body.message_reference?.message_id === posted.id);
    expect(reply.body.content).toBe(`you said: <@${fake.botUser.id}> what about the budget?`);
    // allowed_mentions present without `parse` = nothing is parsed (Discord semantics): no pings at all
    expect(reply.body.allowed_mentions).toEqual({ replied_user: false });
    expect(reply.message.mentions).toEqual([]);
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[0]?.mentions.users.has(fake.botUser.id)).toBe(true);
    expect(seen[1]?.author.bot).toBe(true);
    expect(seen[1]?.reference?.messageId).toBe(posted.id);
  });

  it("rejects payloads over Discord's limits and records unknown routes", async () => {
    client.on(Events.InteractionCreate, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: "x".repeat(2001), flags: MessageFlags.Ephemeral }).catch(() => {});
    });
    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: "Q" });
    await fake.waitForRequest((r) => r.path.endsWith("/callback"));
    expect(h.callbacks).toHaveLength(0);
    expect(fake.invalid[0]?.errors[0]?.path).toBe("content");
    await expect(client.rest.get("/nope/route")).rejects.toThrow();
    expect(fake.unhandled.map((r) => r.path)).toEqual(["/nope/route"]);
    expect(() => fake.assertClean()).toThrow(/unhandled GET \/nope\/route/);
    expect((await fetch(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: "Bot wrong" } })).status).toBe(401);
  });
});

describe("fake Discord gateway sessions", () => {
  let fake: FakeDiscord | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    try {
      await destroyTestClient(client);
    } finally {
      await fake?.close();
      client = fake = undefined;
    }
  });

  it("resumes after dropConnection(4000), replays missed dispatches and keeps delivering interactions", async () => {
    fake = await startFakeDiscord();
    const c = (client = await createTestClient(fake));
    const resumed = fake.waitForResume(3000);
    fake.dropConnection(4000);
    // dispatched while disconnected: must be replayed on RESUME
    const got = nextInteraction(c);
    fake.slash(fake.user({ username: "ana" }), "ask", { question: "while offline" });
    await resumed;
    expect(fake.stats.resumes).toBe(1);
    expect(fake.stats.identifies).toBe(1);
    expect(((await got) as ChatInputCommandInteraction).options.getString("question")).toBe("while offline");
    const got2 = nextInteraction(c);
    fake.slash(fake.user({ username: "bo" }), "ask", { question: "after" });
    expect(((await got2) as ChatInputCommandInteraction).options.getString("question")).toBe("after");
  });

  it("re-identifies when the session is invalidated", async () => {
    fake = await startFakeDiscord();
    client = await createTestClient(fake);
    const identified = fake.waitForIdentify(3000);
    fake.dropConnection(4000, { invalidateSession: true });
    await identified;
    await waitForShardsReady(client);
    expect(fake.stats.invalidSessions).toBe(1);
    expect(fake.stats.identifies).toBe(2);
  });

  it("honours intents: without MessageContent only messages mentioning the bot carry content", async () => {
    fake = await startFakeDiscord();
    const c = (client = await createTestClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]));
    const u = fake.user({ username: "ana" });
    const plain = next(c, Events.MessageCreate);
    fake.postMessage(u, "not for the bot");
    expect((await plain)[0].content).toBe("");
    const mention = next(c, Events.MessageCreate);
    fake.postMessage(u, "for the bot", { mentionsBot: true });
    expect((await mention)[0].content).toBe(`<@${fake.botUser.id}> for the bot`);
  });

  it("acknowledges heartbeats", async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 40 });
    const c = (client = await createTestClient(fake));
    await expect.poll(() => fake?.stats.heartbeats ?? 0, { timeout: 1000 }).toBeGreaterThanOrEqual(2);
    expect(c.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("makes login reject with TokenInvalid for a wrong token", async () => {
    fake = await startFakeDiscord({ token: "right-token" });
    await expect(createTestClient(fake, undefined, { token: "wrong-token" })).rejects.toMatchObject({ code: "TokenInvalid" });
    expect(fake.stats.connections).toBe(0);
    expect(fake.requests[0]?.auth).toBe("invalid");
  });
});
