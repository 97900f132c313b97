import { MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { CORRECTION_TITLE } from "../../src/discord/render-corrections.ts";
import { unescapeMarkdown } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { anyServer, expectCleanTrafficAfterEach, expectWithinLimits, startTestBot } from "../support/bot.ts";
import { articlePage, FeedServer, fullText } from "../support/feed-server.ts";
import { tempLibrary } from "../support/library.ts";

const ANSWER_MS = 20_000;
const FERRY = [
  "The island ferry will run twice a day from next Monday, the port authority said on Tuesday.",
  "The second crossing leaves the harbour at 6 p.m. and returns before midnight, according to the new timetable.",
  "Adult fares rise to 12 euros on the new evening crossing, the authority added.",
  "Residents had asked for an evening crossing for years, saying the single morning boat left them stranded on the mainland.",
];
const PIER = ["The north pier reopened to walkers on Friday after three months of repairs, the council said.", "Anglers will be allowed back on the pier from next week."];

describe("feeds and corrections in Discord (real discord.js against the fake, feeds from a local server)", () => {
  let fake: FakeDiscord;
  let server: FeedServer;
  let lib: Library;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  let logs: string[];

  beforeAll(async () => {
    server = await new FeedServer().start();
    server.items = [{ guid: "ferry-1", title: "Evening ferry to start on Monday", path: "/news/ferry", published: "2026-12-01T08:00:00Z", content: fullText(FERRY) }];
    // Polls every 1.2 s, so that "the next poll" comes within the test; production polls every 15 minutes.
    ({ lib, cleanup } = await tempLibrary({ env: { FETCH_ALLOW_PRIVATE_HOSTS: "true", FEEDS_POLL_MINUTES: "0.02" } }));
    fake = await startFakeDiscord();
    ({ bot, logs } = await startTestBot(fake, lib, { moderatorRoles: anyServer("Moderator"), feedsAnnounceChannel: fake.channelId }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await server?.close();
    await cleanup?.();
  });

  const moderator = () => fake.user({ username: "news-desk", roles: ["Moderator"] });
  const staff = () => fake.user({ username: "standards-editor", permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages });

  it("follows a feed added with /feeds add: new items become articles on the next poll, an edited item corrects its article and the answer that quoted it", async () => {
    const added = await fake.slash(moderator(), "feeds add", { url: server.feedUrl }).waitForEdit(undefined, ANSWER_MS);
    expectWithinLimits(added);
    expect(added.content).toMatch(/^Following \*\*Harbour Gazette\*\* .* as feed #1\./);
    expect(added.content).toContain("Added 1 article: “Evening ferry to start on Monday”.");
    // The feed's address is echoed, never a link.
    expect(added.content).not.toMatch(/https?:\/\/127/);

    const asker = fake.user({ username: "islander" });
    const ask = fake.slash(asker, "ask", { question: "how much will adult fares be on the evening ferry?" });
    const answer = await ask.waitForEdit(undefined, ANSWER_MS);
    expect(unescapeMarkdown(answer.embeds![0]!.description ?? "")).toContain("12 euros");
    await vi.waitFor(() => expect(logs.some((l) => l.includes("ask by islander ("))).toBe(true));

    // The newsroom publishes a new story and corrects the ferry one, in one update of its feed; the bot's next poll takes both.
    server.items = [
      { guid: "pier-1", title: "North pier reopens", path: "/news/pier", published: "2026-12-02T10:00:00Z", page: articlePage("North pier reopens", PIER, "2026-12-02T10:00:00Z") },
      { ...server.items[0]!, content: fullText(FERRY.map((p) => p.replace("12 euros", "14 euros"))) },
    ];

    // The announcement of the new article, in the configured channel.
    const announced = await fake.waitForMessage((m) => m.body.content?.includes("New in the coverage") ?? false, ANSWER_MS);
    expect(unescapeMarkdown(announced.body.content!)).toContain("North pier reopens");

    // The answer posted earlier now carries the correction note under its quote.
    await vi.waitFor(() => expect(fake.message(ask.original()!.id)?.embeds.some((e) => e.title === CORRECTION_TITLE)).toBe(true), { timeout: ANSWER_MS });
    const note = fake.message(ask.original()!.id)!.embeds.find((e) => e.title === CORRECTION_TITLE)!;
    expect(unescapeMarkdown(note.description!)).toMatch(/\[1\] “Evening ferry to start on Monday”, paragraph 3, was corrected on \d{4}-\d\d-\d\d: the quoted words are no longer in it/);
    // Its quote is left as it was posted: the note says what changed.
    expect(unescapeMarkdown(fake.message(ask.original()!.id)!.embeds[0]!.description ?? "")).toContain("12 euros");

    // Asking again quotes the new wording.
    const again = await fake.slash(asker, "ask", { question: "how much will adult fares be on the evening ferry?" }).waitForEdit(undefined, ANSWER_MS);
    const quoted = unescapeMarkdown(again.embeds![0]!.description ?? "");
    expect(quoted).toContain("14 euros");
    expect(quoted).not.toContain("12 euros");

    // Staff see the correction, and the paragraph's earlier wording in /source.
    const corrections = await fake.slash(staff(), "corrections", {}).waitForCallback(undefined, ANSWER_MS);
    expect((corrections.data?.flags ?? 0) & MessageFlags.Ephemeral).toBeTruthy();
    expect(unescapeMarkdown(corrections.data!.embeds![0]!.description!)).toMatch(/Evening ferry to start on Monday\*\* — \d{4}-\d\d-\d\d: reworded ¶3\n\s+¶3 was: “Adult fares rise to 12 euros/);
    const ferryId = lib.articles().find((a) => a.title.startsWith("Evening ferry"))!.id;
    const source = await fake.slash(staff(), "source", { article: ferryId, paragraph: 3 }).waitForCallback(undefined, ANSWER_MS);
    expect(source.data!.embeds![0]!.fields?.[0]?.name).toMatch(/^Earlier wording \(until \d{4}-\d\d-\d\d, then paragraph 3\)$/);
    expect(unescapeMarkdown(source.data!.embeds![0]!.fields![0]!.value)).toContain("12 euros");
    // A member reading the same paragraph sees the coverage as it stands.
    const memberSource = await fake.slash(asker, "source", { article: ferryId, paragraph: 3 }).waitForCallback(undefined, ANSWER_MS);
    expect(memberSource.data!.embeds![0]!.fields ?? []).toEqual([]);
  });

  it("lists and removes feeds for moderators, refuses them to members with the reason, and says what a bad address is", async () => {
    const list = await fake.slash(moderator(), "feeds list", {}).waitForCallback(undefined, ANSWER_MS);
    expect(unescapeMarkdown(list.data!.embeds![0]!.description!)).toMatch(/#1\*\* \*\*Harbour Gazette\*\* .*\n2 articles · last read <t:\d+:R> · next poll <t:\d+:R>/);

    server.raw.set("/front", { status: 200, headers: { "content-type": "text/html" }, body: `<!doctype html><html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>Front page</body></html>` });
    const refused = await fake.slash(moderator(), "feeds add", { url: `${server.base}/front` }).waitForEdit(undefined, ANSWER_MS);
    expect(refused.content).toMatch(/^Not following it: That address is a web page, not a feed\. The page names its feed: /);
    expect(refused.content).not.toMatch(/https?:\/\/127/);

    const member = await fake.slash(fake.user({ username: "passer-by" }), "feeds list", {}).waitForCallback(undefined, ANSWER_MS);
    expect(member.data?.content).toMatch(/^Only moderators can change the feeds the coverage follows/);
    const corrections = await fake.slash(fake.user({ username: "passer-by" }), "corrections", {}).waitForCallback(undefined, ANSWER_MS);
    expect(corrections.data?.content).toMatch(/^Only newsroom staff can see the coverage's corrections/);

    const removed = await fake.slash(moderator(), "feeds remove", { feed: 1 }).waitForCallback(undefined, ANSWER_MS);
    expect(removed.data?.content).toMatch(/^Stopped following Harbour Gazette \(#1\)\. The 2 article\(s\) it brought stay in the coverage/);
    expect(lib.feeds.list()).toEqual([]);
    expect(lib.articles()).toHaveLength(2);
  });
});
