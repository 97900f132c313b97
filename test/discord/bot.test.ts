import path from "node:path";
import Database from "better-sqlite3";
import { strToU8, zipSync } from "fflate";
import { InteractionResponseType } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import type { BotHandle } from "../../src/discord/bot.ts";
import { articleRef } from "../../src/discord/buttons.ts";
import { unescapeMarkdown } from "../../src/discord/render.ts";
import { anyServer, expectCleanTrafficAfterEach, expectNoPings, expectQuotesVerbatim, expectWithinLimits, forgetConfirmed, paragraphButtons, quotesOf, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord, type InteractionHandle } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";
import { seedSampleCoverage } from "../../src/library.ts";

const PESKOV = "What did Peskov say about publicity?";
const LISBON = "What is the weather in Lisbon?";
const EPHEMERAL = 64;
const ANSWER_MS = 10_000;

const LIGHTHOUSE_MD = `# Harbour council approves the lighthouse budget

The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million euros for restoring the old lighthouse on the northern breakwater.

Councillor Marta Quental said the restoration would begin in the spring and take two years, with the lamp room rebuilt first.

Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.
`;
const LIGHTHOUSE_Q = "How much is the lighthouse budget?";

/** A library whose answer() fails on demand, to see what members get when something breaks. */
function withFailures(lib: Library): Library {
  return Object.assign(Object.create(null) as Library, lib, {
    dataDir: lib.dataDir,
    answer: (q: string, o?: Parameters<Library["answer"]>[1]) => (q.includes("trigger an internal error") ? Promise.reject(new Error("disk on fire")) : lib.answer(q, o)),
    ingest: (files: Parameters<Library["ingest"]>[0], o?: Parameters<Library["ingest"]>[1]) =>
      files.some((f) => f.name.includes("explode")) ? Promise.reject(new Error("store is read-only")) : lib.ingest(files, o),
  });
}

const isEphemeral = (flags: unknown) => (Number(flags ?? 0) & EPHEMERAL) !== 0;

describe("the Discord bot, against the fake Discord with the real discord.js client", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let dir: string;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  let logs: string[];

  beforeAll(async () => {
    ({ lib, dir, cleanup } = await tempLibrary());
    // As a fresh clone gets it: the sample's year-less dateline is dated by when it was filed, not today.
    await seedSampleCoverage(lib);
    fake = await startFakeDiscord();
    ({ bot, logs } = await startTestBot(fake, withFailures(lib), { rateLimit: { count: 3, windowMs: 60_000 }, moderatorRoles: anyServer("moderator") }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    try {
      await bot?.stop();
      if (process.env.SHOW_BOT_LOGS) console.log(logs.join("\n"));
    } finally {
      await fake?.close();
      await cleanup?.();
    }
  });

  const answerOf = async (h: InteractionHandle) => h.waitForEdit(undefined, ANSWER_MS);

  it("registers its commands to the guild at start-up and says which intents are on", () => {
    expect(fake.commands.map((c) => c.name).sort()).toEqual(["articles", "ask", "check", "corrections", "feeds", "forget", "gaps", "help", "ingest", "receipt", "source", "web"]);
    expect(fake.commands.every((c) => c.guild_id === fake.guildId)).toBe(true);
    const ask = fake.commands.find((c) => c.name === "ask")!;
    expect(ask.options?.map((o) => o.name)).toEqual(["question", "article", "since", "until"]);
    expect(bot.commandScope).toBe("servers");
    expect(bot.intents).toEqual(["Guilds", "GuildMessages"]);
    expect(logs.join("\n")).toMatch(/Intents: Guilds, GuildMessages\. @mention questions: on; Message Content intent: off/);
    expect(logs.join("\n")).not.toContain(fake.token);
  });

  it("/ask is deferred at once, then edited with quotes that are verbatim in the cited paragraphs", async () => {
    const t0 = Date.now();
    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: PESKOV });
    const deferred = await h.waitForCallback();
    expect(deferred.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(deferred.data?.flags)).toBe(false);
    expect(deferred.at - t0).toBeLessThan(2500); // Discord allows 3 s; the bot defers before any work
    const edit = await answerOf(h);
    expect(h.replies.find((r) => r.kind === "edit")!.at).toBeGreaterThanOrEqual(deferred.at);
    expectWithinLimits(edit);
    expectNoPings(edit, h.original());
    const quotes = expectQuotesVerbatim(lib, edit);
    expect(quotes[0]!.text).toContain("excessive publicity could hinder progress");
    expect(quotes[0]!.cut).toBe(false);
    const embed = edit.embeds![0]!;
    expect(embed.description).toMatch(/^> /);
    expect(embed.title).toBe(PESKOV);
    const field = embed.fields![0]!;
    expect(field.name).toMatch(/^\[1\] The future of negotiations/);
    expect(field.value).toMatch(/V7N · 2025-12-04 · paragraph 9/);
    const buttons = paragraphButtons(lib, edit.components);
    expect(buttons.map((b) => [b.n, b.paragraph])).toEqual([[1, 9]]);
    expect(JSON.stringify(edit.components)).toContain("fb:y");
    await expect.poll(() => logs.some((l) => /INFO  ask by ana \(m-[0-9a-f]{12}\): "What did Peskov say about publicity\?" -> answered \(confidence 0\.\d\d\) in \d+ ms; cited \[1\] .*¶9/.test(l))).toBe(true);
  });

  it("/ask since: until: searches only those days, says so, and explains a day it cannot read", async () => {
    const before = await answerOf(fake.slash(fake.user({ username: "dora" }), "ask", { question: PESKOV, until: "2025-12-01" }));
    // The story ran on 2025-12-04: nothing was published in that range.
    expect(before.content ?? "").toMatch(/published until 2025-12-01/);
    const within = await answerOf(fake.slash(fake.user({ username: "dora" }), "ask", { question: PESKOV, since: "2025-12-01", until: "2025-12-31" }));
    expect(within.embeds![0]!.footer!.text).toMatch(/^As of 2025-12-04 · /);
    const bad = await fake.slash(fake.user({ username: "dora" }), "ask", { question: PESKOV, since: "last week" }).waitForEdit(undefined, 10_000);
    expect(bad.content).toMatch(/"last week" is not a day for since: write it as YYYY-MM-DD/);
  });

  it("answers a question that @mentions the bot with a reply in the channel, and ignores bots, itself and unaddressed messages", async () => {
    const ana = fake.user({ username: "ana-m" });
    const otherBot = fake.user({ username: "otherbot", bot: true });
    fake.postMessage(otherBot, PESKOV, { mentionsBot: true });
    fake.postMessage(ana, PESKOV); // not addressed to the bot
    const posted = fake.postMessage(ana, PESKOV, { mentionsBot: true });
    const reply = await fake.waitForMessage((m) => m.body.message_reference?.message_id === posted.id, ANSWER_MS);
    expectWithinLimits(reply.body);
    expectNoPings(reply.body, reply.message);
    expect(expectQuotesVerbatim(lib, reply.body)[0]!.text).toContain("excessive publicity");
    expect(fake.typing.length).toBeGreaterThanOrEqual(1);

    // A bare mention gets a hint that itself contains the bot's mention: the echo must be ignored.
    const bare = fake.postMessage(ana, "", { mentionsBot: true });
    const hint = await fake.waitForMessage((m) => m.body.message_reference?.message_id === bare.id);
    expect(hint.body.content).toMatch(/Ask me a question/);
    await bot.idle();
    await new Promise((r) => setTimeout(r, 100));
    await bot.idle();
    expect(fake.sentMessages.filter((m) => m.kind === "channel")).toHaveLength(2);
  });

  it("says plainly when the coverage has no answer, and names the closest coverage without quoting it", async () => {
    const h = fake.slash(fake.user({ username: "bo" }), "ask", { question: LISBON });
    const edit = await answerOf(h);
    expectWithinLimits(edit);
    expectNoPings(edit, h.original());
    expect(edit.embeds ?? []).toEqual([]);
    const content = unescapeMarkdown(edit.content ?? "");
    expect(content).toMatch(/^I couldn't find an answer to that in the coverage/);
    expect(content).toMatch(/I searched 1 article \(11 paragraphs\) for: .*weather.*lisbon/);
    const direct = await lib.answer(LISBON);
    expect(direct.status).toBe("not_found");
    expect(direct.citations.length).toBeGreaterThan(0);
    for (const c of direct.citations) {
      expect(content).toContain(`paragraph ${c.paragraph}`);
      const [p] = lib.paragraph(c.articleId, c.paragraph)!;
      expect(content).not.toContain(p!.text.slice(0, 40));
    }
    expect(content).toContain("The future of negotiations");
    expect(content).toMatch(/does not answer the question/);
    expect(quotesOf(edit.embeds?.[0])).toEqual([]);
  });

  it("refuses /ingest and /forget from members who are not moderators, and changes nothing", async () => {
    const reader = fake.user({ username: "reader" });
    const before = lib.articles();
    const h = fake.slash(reader, "ingest", {}, { attachments: { file: { name: "lighthouse.md", data: LIGHTHOUSE_MD, contentType: "text/markdown" } } });
    const cb = await h.waitForCallback();
    expect(cb.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(cb.data?.flags)).toBe(true);
    expect(cb.data?.content).toMatch(/^Only moderators can add articles: .*Manage Messages.*"moderator" role\. Nothing was changed\./);
    const f = fake.slash(reader, "forget", { article: before[0]!.id });
    const fcb = await f.waitForCallback();
    expect(isEphemeral(fcb.data?.flags)).toBe(true);
    expect(fcb.data?.content).toMatch(/^Only moderators can remove articles/);
    await bot.idle();
    expect(fake.downloads).toEqual([]);
    expect(lib.articles()).toEqual(before);
    expect((await lib.answer(PESKOV)).status).toBe("answered");
    expect(logs.some((l) => /\/ingest by reader \(m-[0-9a-f]{12}\) refused: not a moderator/.test(l))).toBe(true);
  });

  it("lets a moderator /ingest an attachment, which the next /ask answers from; /forget makes it unanswerable again", async () => {
    const asker = fake.user({ username: "asker" });
    const miss = await answerOf(fake.slash(asker, "ask", { question: LIGHTHOUSE_Q }));
    expect(miss.content).toMatch(/couldn't find an answer/);

    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    const h = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "lighthouse.md", data: LIGHTHOUSE_MD, contentType: "text/markdown" } } });
    const deferred = await h.waitForCallback();
    expect(deferred.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(deferred.data?.flags)).toBe(true);
    const summary = await h.waitForEdit(undefined, ANSWER_MS);
    expect(summary.content).toMatch(/^lighthouse\.md: added 1, replaced 0, unchanged 0 \(/);
    expect(summary.content).toContain("• Added: Harbour council approves the lighthouse budget");
    expect(fake.downloads.map((d) => d.name)).toEqual(["lighthouse.md"]);

    const hit = await answerOf(fake.slash(asker, "ask", { question: LIGHTHOUSE_Q }));
    expect(expectQuotesVerbatim(lib, hit)[0]!.text).toContain("4.2 million euros");

    // /forget picks the article through autocomplete, as a moderator would.
    const choices = await fake.autocomplete(mod, "forget", "article", "lighthouse").waitForChoices();
    expect(choices.map((c) => c.name)).toEqual(["Harbour council approves the lighthouse budget"]);
    const { asked, result } = await forgetConfirmed(fake, mod, String(choices[0]!.value));
    expect(asked.content).toMatch(/^Remove this article from the coverage\?[\s\S]*Harbour council approves the lighthouse budget[\s\S]*undated · 3 paragraphs · id `c-[0-9a-f]+`/);
    expect(result).toBe('Removed "Harbour council approves the lighthouse budget" from the coverage; it will not be quoted any more.');
    expect(lib.articles().some((a) => a.title.includes("lighthouse"))).toBe(false);
    const after = await answerOf(fake.slash(asker, "ask", { question: LIGHTHOUSE_Q }));
    expect(after.content).toMatch(/couldn't find an answer/);
    expect(logs.some((l) => /\/forget by editor \(m-[0-9a-f]{12}\): "Harbour council approves the lighthouse budget" \(c-[0-9a-f]+\) removed/.test(l))).toBe(true);
  });

  it("lets a moderator /ingest url: an article page, which the next /ask answers from, and explains a link it cannot fetch", async () => {
    const mod = fake.user({ username: "web-editor", roles: ["Moderator"] });
    const html = `<html><head><title>Ferry timetable changes | Island Post</title><meta property="article:published_time" content="2025-04-01T08:00:00Z"></head><body><article><h1>Ferry timetable changes</h1>
<p>The island ferry will run every two hours from May, the harbour office said on Monday.</p>
<p>Evening crossings end at nine, an hour earlier than in winter.</p></article></body></html>`;
    const link = fake.hostFile("ferry", html, "text/html; charset=utf-8");
    const summary = await fake.slash(mod, "ingest", { url: link }).waitForEdit(undefined, ANSWER_MS);
    expect(summary.content).toMatch(/: added 1, replaced 0, unchanged 0 \(/);
    expect(summary.content).toContain("• Added: Ferry timetable changes");
    expect(summary.content).not.toContain("http://");
    const hit = await answerOf(fake.slash(fake.user({ username: "islander" }), "ask", { question: "how often will the island ferry run from may?" }));
    expect(expectQuotesVerbatim(lib, hit)[0]!.text).toContain("every two hours");

    const missing = await fake.slash(mod, "ingest", { url: `${new URL(link).origin}/attachments/0/gone.html` }).waitForEdit(undefined, ANSWER_MS);
    expect(missing.content).toMatch(/HTTP 404/);
    const nothing = await fake.slash(mod, "ingest", {}).waitForCallback();
    expect(nothing.data?.content).toMatch(/Attach an article file \(`file:`\) or give an article's link \(`url:`\)/);
  });

  it("takes several files and a .zip of files in one /ingest, and leads the summary with what failed", async () => {
    const mod = fake.user({ username: "bulk-mod", roles: ["Moderator"] });
    const story = (title: string, body: string) => `# ${title}\n\n${body}\n`;
    const zip = zipSync({
      "desk/ferry.md": strToU8(story("Ferry timetable changes in May", "The ferry to the outer islands will sail twice a day from May, the harbour office said.")),
      "desk/empty.txt": strToU8("   \n"),
      "desk/notes.docx": strToU8("not an article"),
    });
    const h = fake.slash(mod, "ingest", {}, {
      attachments: {
        file: { name: "school.md", data: story("School board elects new chair", "The school board elected Ines Moura as its chair on Thursday by five votes to two."), contentType: "text/markdown" },
        file2: { name: "desk.zip", data: zip, contentType: "application/zip" },
        file3: { name: "photo.png", data: "png", contentType: "image/png" },
      },
    });
    const summary = await h.waitForEdit(undefined, ANSWER_MS);
    const lines = (summary.content ?? "").split("\n");
    expect(lines[0]).toMatch(/^3 files: 3 failed, added 2, replaced 0, unchanged 0 \(/);
    expect(lines.slice(1, 4).every((l) => l.startsWith("• Failed: "))).toBe(true);
    expect(summary.content).toContain("• Failed: photo.png: photo.png is not a file type I can read");
    expect(summary.content).toMatch(/• Failed: desk\.zip\/desk\/empty\.txt: The file has no text/);
    expect(summary.content).toMatch(/• Failed: desk\.zip\/desk\/notes\.docx: Unknown file type "\.docx"/);
    expect(summary.content).toContain("• Added: Ferry timetable changes in May");
    expect(summary.content).toContain("• Added: School board elects new chair");
    const ferry = await answerOf(fake.slash(fake.user({ username: "islander" }), "ask", { question: "What did the harbour office say about the ferry?" }));
    expect(expectQuotesVerbatim(lib, ferry)[0]!.text).toContain("twice a day");
    for (const title of ["Ferry timetable changes in May", "School board elects new chair"]) await lib.forget(lib.articles().find((a) => a.title === title)!.id);
  });

  it("asks before /forget removes anything, naming the exact article; Cancel keeps it, and only a moderator's click removes", async () => {
    const mod = fake.user({ username: "careful-mod", roles: ["Moderator"] });
    const before = lib.articles();
    const h = fake.slash(mod, "forget", { article: "negotiations" });
    const asked = await h.waitForEdit(undefined, ANSWER_MS);
    expect(asked.content).toMatch(/^Remove this article from the coverage\? It will not be quoted any more\.\n\*\*The future of negotiations aimed at ending the war in Ukraine remains uncertain\*\*\nV7N · 2025-12-04 · 11 paragraphs · id `c-/);
    expect(lib.articles()).toEqual(before);
    const cancel = await fake.clickButton(mod, h.original()!, "forget-cancel").waitForCallback();
    expect(cancel.data?.content).toBe("Kept: nothing was removed.");
    expect(cancel.data?.components).toEqual([]);
    // A click that reaches the bot from someone who may not remove (a forged or relayed custom id) changes nothing.
    const again = fake.slash(mod, "forget", { article: "negotiations" });
    await again.waitForEdit(undefined, ANSWER_MS);
    const removeId = `forget:${articleRef(before[0]!.id)}`;
    const reader = fake.user({ username: "clicker", permissions: "0" });
    const refused = await fake.clickButton(reader, again.original()!, removeId).waitForCallback();
    expect(refused.data?.content).toMatch(/^Only moderators can remove articles/);
    await bot.idle();
    expect(lib.articles()).toEqual(before);
  });

  it("counts members with the configured moderator role (by name, any case) as moderators, whatever their permissions", async () => {
    const roleOnly = fake.user({ username: "role-only", roles: ["Moderator"], permissions: "0" });
    const h = fake.slash(roleOnly, "forget", { article: "no such article at all" });
    expect((await h.waitForCallback()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((await h.waitForEdit()).content).toMatch(/^No article in the coverage matches "no such article at all"/);
    const noRole = fake.user({ username: "no-role", permissions: "0" });
    const r = await fake.slash(noRole, "forget", { article: "no such article at all" }).waitForCallback();
    expect(r.data?.content).toMatch(/^Only moderators/);
  });

  it("sends quotes containing @everyone and mentions with mentions disabled, escaped, as block quotes", async () => {
    const pinged = fake.user({ username: "pinged" });
    const rally = JSON.stringify({
      id: "rally-1",
      title: `Rally organisers tell @everyone to gather <@${pinged.id}>`,
      outlet: "Town *Crier*",
      url: "https://example.com/rally?a=(1)",
      published: "2025-11-02",
      paragraphs: [
        "The march began at noon in the old town square.",
        `At the rally, organiser Jonas Reed shouted "@everyone come to the square" and thanked <@${pinged.id}> and the <@&${fake.roles.moderator.id}> **volunteer** team for the loudest cheer of the year.`,
        "Police said the event passed peacefully.",
      ],
    });
    const mod = fake.user({ username: "editor2", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "rally.json", data: rally, contentType: "application/json" } } });
    const summary = await ing.waitForEdit(undefined, ANSWER_MS);
    expect(summary.content).toContain("@everyone");
    expectNoPings(summary, ing.original());

    const h = fake.slash(fake.user({ username: "cy" }), "ask", { question: "What did organiser Jonas Reed shout at the rally?" });
    const edit = await answerOf(h);
    expectNoPings(edit, h.original());
    const [quote] = expectQuotesVerbatim(lib, edit);
    expect(quote!.text).toContain(`"@everyone come to the square" and thanked <@${pinged.id}>`);
    const description = edit.embeds![0]!.description!;
    expect(description).toContain("\\@everyone");
    expect(description).toContain(`\\<\\@${pinged.id}>`);
    expect(description).toContain("\\*\\*volunteer\\*\\*");
    expect(description).not.toMatch(/(^|[^\\])@everyone/);
    expect(edit.embeds![0]!.fields![0]!.value).toContain("Town \\*Crier\\*");
    expect(edit.embeds![0]!.fields![0]!.value).toMatch(/\[Open at the quoted words\]\(https:\/\/example\.com\/rally\?a=%281%29#:~:text=/);

    // The mention path too: a reply whose quote holds @everyone pings nobody, not even the asker.
    const posted = fake.postMessage(fake.user({ username: "dee" }), "What did organiser Jonas Reed shout at the rally?", { mentionsBot: true });
    const reply = await fake.waitForMessage((m) => m.body.message_reference?.message_id === posted.id, ANSWER_MS);
    expectNoPings(reply.body, reply.message);
  });

  it("keeps a very long answer (long sentences, title, outlet, URL and id) within every limit, and shows a huge paragraph as a file", async () => {
    const long = (seed: string, n: number) => Array.from({ length: n }, (_, i) => `${seed}${i % 7 === 0 ? "_x_" : ""}`).join(" ");
    const sentence = (topic: string) => `The zeppelin ${topic} ${long("overhaul", 95)} according to the airship registry`; // ~950 chars: one quotable sentence
    const article = {
      id: `airship-${"z".repeat(140)}`,
      title: `Airship ${"registry ".repeat(60)}`.trim(),
      outlet: `Airship Gazette ${"Weekly ".repeat(30)}`.trim(),
      url: `https://example.com/${"a".repeat(1500)}`,
      published: "2025-10-01",
      paragraphs: [
        `${sentence("hangar")}. ${sentence("inspection")}.`,
        `${"Filler words keep this paragraph going on and on. ".repeat(140)}The zeppelin registry overhaul ends here.`,
        `${sentence("mooring")}.`,
      ],
    };
    const mod = fake.user({ username: "editor3", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "airship.json", data: JSON.stringify(article), contentType: "application/json" } } });
    const summary = await ing.waitForEdit(undefined, ANSWER_MS);
    expect(summary.content).toMatch(/added 1/);
    expectWithinLimits(summary);
    const stored = lib.articles().find((a) => a.id === article.id)!;
    expect(stored).toBeDefined();

    const eve = fake.user({ username: "eve" });
    const choices = await fake.autocomplete(eve, "ask", "article", "airship registry").waitForChoices();
    expect(choices).toHaveLength(1);
    expect(choices[0]!.name.length).toBeLessThanOrEqual(100);
    expect(String(choices[0]!.value)).toBe(articleRef(article.id));
    expect(String(choices[0]!.value)).toMatch(/^#[\w-]{16}$/);
    const h = fake.slash(eve, "ask", { question: "What does the airship registry say about the zeppelin overhaul?", article: String(choices[0]!.value) });
    const edit = await answerOf(h);
    expectWithinLimits(edit);
    expect(edit.embeds?.length).toBe(1);
    const quotes = expectQuotesVerbatim(lib, edit);
    expect(quotes.length).toBeGreaterThanOrEqual(2);
    expect(quotes.filter((q) => q.text.length > 800).length).toBeGreaterThanOrEqual(2);
    const buttons = paragraphButtons(lib, edit.components);
    expect(buttons.every((b) => b.articleId === article.id && b.customId.length <= 100)).toBe(true);
    expect(JSON.stringify(edit)).not.toContain("z".repeat(100));

    // Its button shows the cited paragraph in full.
    const shown = await fake.clickButton(eve, h.original()!, buttons[0]!.customId).waitForCallback();
    expectWithinLimits(shown.data as never);
    const cited = lib.paragraph(article.id, buttons[0]!.paragraph)![0]!;
    const shownText = unescapeMarkdown(shown.data!.embeds![0]!.description!) + (shown.files[0]?.data.toString("utf8") ?? "");
    expect(shownText).toContain(cited.text);

    // The 7,000-character paragraph is too long for a message: /source shows its start and attaches it whole.
    const big = lib.paragraph(article.id, 2)![0]!;
    expect(big.text.length).toBeGreaterThan(5_000);
    const view = await fake.slash(eve, "source", { article: articleRef(article.id), paragraph: 2, context: 1 }).waitForCallback();
    expect(isEphemeral(view.data?.flags)).toBe(true);
    expectWithinLimits(view.data as never);
    expect(view.files.map((f) => f.name)).toEqual(["paragraph-2.txt"]);
    expect(view.files[0]!.data.toString("utf8")).toContain(big.text);
    expect(view.data?.embeds?.[0]?.description).toMatch(/attached in full as paragraph-2\.txt/);
  });

  it("shows a cited paragraph in full from its button, and stores helpful / not helpful feedback with question, answer and user", async () => {
    const ana = fake.user({ username: "fb-ana" });
    const h = fake.slash(ana, "ask", { question: PESKOV });
    const edit = await answerOf(h);
    const [b] = paragraphButtons(lib, edit.components);
    const message = h.original()!;

    const show = fake.clickButton(ana, message, b!.customId);
    const shown = await show.waitForCallback();
    expect(shown.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(shown.data?.flags)).toBe(true);
    expectWithinLimits(shown.data as never);
    const [p] = lib.paragraph(b!.articleId, b!.paragraph)!;
    expect(unescapeMarkdown(shown.data!.embeds![0]!.description!)).toContain(p!.text);
    expect(shown.data!.embeds![0]!.footer!.text).toMatch(/paragraph 9 of 11/);

    const yes = await fake.clickButton(ana, message, "fb:y").waitForCallback();
    expect(isEphemeral(yes.data?.flags)).toBe(true);
    expect(yes.data?.content).toMatch(/Noted as helpful/);
    const again = await fake.clickButton(ana, message, "fb:n").waitForCallback();
    expect(again.data?.content).toMatch(/already rated/);
    const bo = fake.user({ username: "fb-bo" });
    const no = await fake.clickButton(bo, message, "fb:n").waitForCallback();
    expect(no.data?.content).toMatch(/not helpful/);

    const db = new Database(path.join(dir, "store.db"), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT question, answer_json, helpful, by FROM feedback WHERE question = ? ORDER BY id").all(PESKOV) as { question: string; answer_json: string; helpful: number; by: string }[];
      // Members are kept only as the store's keyed hash, never as their Discord id.
      expect(rows.map((r) => [r.by, r.helpful])).toEqual([
        [lib.memberHash(ana.id), 1],
        [lib.memberHash(bo.id), 0],
      ]);
      expect(rows.every((r) => /^m-[0-9a-f]{12}$/.test(r.by))).toBe(true);
      const stored = JSON.parse(rows[0]!.answer_json) as { status: string; quotes: { text: string }[] };
      expect(stored.status).toBe("answered");
      expect(stored.quotes[0]!.text).toContain("excessive publicity");
    } finally {
      db.close();
    }
  });

  it("limits how fast one member can ask, with a friendly message", async () => {
    const fast = fake.user({ username: "fast" });
    for (let i = 0; i < 3; i++) await answerOf(fake.slash(fast, "ask", { question: `${PESKOV} (${i})` }));
    const h = fake.slash(fast, "ask", { question: PESKOV });
    const cb = await h.waitForCallback();
    expect(cb.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(cb.data?.flags)).toBe(true);
    expect(cb.data?.content).toMatch(/^You're asking faster than I can keep up with \(up to 3 questions per 1 minute\)\. Please try again in \d+ seconds?\.$/);
    // Others are not affected.
    const other = await answerOf(fake.slash(fake.user({ username: "slow" }), "ask", { question: PESKOV }));
    expect(quotesOf(other.embeds?.[0]).length).toBeGreaterThan(0);
  });

  it("turns an error inside a command into a short private apology with an error id that is also in the log", async () => {
    const h = fake.slash(fake.user({ username: "unlucky" }), "ask", { question: "Please trigger an internal error" });
    const reply = await h.waitForReply((m) => m.kind === "followup", ANSWER_MS);
    expect(reply.ephemeral).toBe(true);
    const id = /error id: (E-[A-Z0-9]+)/.exec(reply.body.content ?? "")?.[1];
    expect(id).toBeDefined();
    expect(logs.some((l) => l.includes(`ERROR ${id} /ask by unlucky`) && l.includes("disk on fire"))).toBe(true);
    // The public "thinking…" message was removed rather than left hanging.
    expect(fake.requests.some((r) => r.method === "DELETE" && r.path.endsWith("/messages/@original"))).toBe(true);

    // After a private deferral (/ingest), the apology replaces the private "thinking…" message.
    const mod = fake.user({ username: "unlucky-mod", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "explode.txt", data: "Some text.", contentType: "text/plain" } } });
    const edit = await ing.waitForEdit(undefined, ANSWER_MS);
    const id2 = /error id: (E-[A-Z0-9]+)/.exec(edit.content ?? "")?.[1];
    expect(id2).toBeDefined();
    expect(ing.original()?.flags ?? 0).toBe(EPHEMERAL);
    expect(logs.some((l) => l.includes(`ERROR ${id2} /ingest by unlucky-mod`) && l.includes("store is read-only"))).toBe(true);
  });

  it("explains a question it cannot take (empty after trimming) privately, without deferring", async () => {
    const h = fake.slash(fake.user({ username: "blank" }), "ask", { question: "   " });
    const cb = await h.waitForCallback();
    expect(cb.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(cb.data?.flags)).toBe(true);
    expect(cb.data?.content).toMatch(/The question is empty/);
  });

  it("offers /source, /articles, /help and article autocomplete", async () => {
    const u = fake.user({ username: "reader2" });
    const [seed] = lib.articles().filter((a) => a.outlet === "V7N");
    const choices = await fake.autocomplete(u, "ask", "article", "negotiations").waitForChoices();
    expect(choices).toContainEqual({ name: expect.stringMatching(/^The future of negotiations.*\(V7N, 2025-12-04\)$/), value: seed!.id });

    const src = await fake.slash(u, "source", { article: seed!.id, paragraph: 9 }).waitForCallback();
    expect(isEphemeral(src.data?.flags)).toBe(true);
    const d = unescapeMarkdown(src.data!.embeds![0]!.description!);
    expect(d).toContain(lib.paragraph(seed!.id, 9)![0]!.text);
    expect(d).toMatch(/^\*¶8\*/);
    expect(d).toMatch(/\*¶10\* /);
    const bad = await fake.slash(u, "source", { article: seed!.id, paragraph: 99 }).waitForCallback();
    expect(bad.data?.content).toMatch(/has 11 paragraphs; pick a number from 1 to 11/);

    const list = await fake.slash(u, "articles", {}).waitForCallback();
    expect(list.data?.embeds?.[0]?.title).toMatch(/^Coverage: \d+ articles?, newest first$/);
    expect(list.data?.embeds?.[0]?.description).toContain("The future of negotiations");

    const help = await fake.slash(u, "help", {}).waitForCallback();
    expect(help.data?.content).toMatch(/verbatim quotes/);
    expect(help.data?.content?.length).toBeLessThan(1000);
  });

  it("resumes after the gateway drops the connection (close 4000) and keeps answering", async () => {
    const resumed = fake.waitForResume(5000);
    fake.dropConnection(4000);
    const during = fake.slash(fake.user({ username: "offline" }), "ask", { question: PESKOV });
    await resumed;
    expect(quotesOf((await answerOf(during)).embeds?.[0]).length).toBeGreaterThan(0);
    const after = fake.slash(fake.user({ username: "online" }), "ask", { question: PESKOV });
    expect(quotesOf((await answerOf(after)).embeds?.[0]).length).toBeGreaterThan(0);
    expect(fake.stats.resumes).toBe(1);
    expect(fake.stats.identifies).toBe(1);
    await expect.poll(() => logs.some((l) => /gateway shard 0 resumed/.test(l))).toBe(true);
  });

  it("finishes answers in flight when stopped, then disconnects", async () => {
    const fake2 = await startFakeDiscord();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow: Library = Object.assign(Object.create(null) as Library, lib, { answer: async (q: string) => (await gate, lib.answer(q)) });
      const { bot: bot2 } = await startTestBot(fake2, slow);
      const h = fake2.slash(fake2.user({ username: "late" }), "ask", { question: PESKOV });
      await h.waitForCallback(InteractionResponseType.DeferredChannelMessageWithSource);
      let stopped = false;
      const stopping = bot2.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(stopped).toBe(false);
      // New work while stopping is turned away politely.
      const late = await fake2.slash(fake2.user({ username: "later" }), "ask", { question: PESKOV }).waitForCallback();
      expect(late.data?.content).toMatch(/restarting/);
      release();
      const edit = await h.waitForEdit(undefined, ANSWER_MS);
      expect(quotesOf(edit.embeds?.[0]).length).toBeGreaterThan(0);
      await stopping;
      expect(bot2.client.isReady()).toBe(false);
      fake2.assertClean();
    } finally {
      await fake2.close();
    }
  });
});
