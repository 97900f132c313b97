import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { echo, unescapeMarkdown } from "../../src/discord/render.ts";
import { redactPersonal } from "../../src/discord/log.ts";
import type { Library } from "../../src/library-types.ts";
import { anyServer, expectCleanTrafficAfterEach, forgetConfirmed, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord, type FakeUser, type FakeUserInput } from "../../tools/fake-discord/server.ts";
import { tempLibrary, textFile } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";
const MASKED = "[Newsroom statement: click to verify your account](https://evil.example/x)";
const PRIZE = "[Claim your prize now](https://evil.example/win)";

/** A link Discord would make clickable: a masked link, or a bare URL with its scheme. */
const clickable = (text: string) => /\]\(\s*<?https?:\/\//i.test(text) || /https?:\/\/\S/i.test(text);

describe("hardening from the outside probe (real discord.js against the fake)", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let dir: string;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  let logs: string[];
  const users: FakeUser[] = [];
  const member = (input: FakeUserInput) => {
    const u = fake.user(input);
    users.push(u);
    return u;
  };

  beforeAll(async () => {
    ({ lib, dir, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    // A title a member might try to smuggle a link through, stored by a moderator's upload.
    await lib.ingest([textFile("link.txt", `Council notice ${MASKED}\n\nThe council met on Monday to discuss the harbour wall repairs and the new ferry timetable.\n`)]);
    fake = await startFakeDiscord();
    ({ bot, logs } = await startTestBot(fake, lib, {
      rateLimit: { count: 3, windowMs: 60_000 },
      lookupRateLimit: { count: 8, windowMs: 60_000 },
      moderatorRoles: anyServer("moderator"),
    }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.();
  });

  it("never posts a link a member wrote: a masked link as the article option comes back as text", async () => {
    const h = fake.slash(member({ username: "phisher" }), "ask", { question: "x?", article: PRIZE });
    const reply = await h.waitForEdit(undefined, 10_000);
    expect(unescapeMarkdown(reply.content ?? "").replace(/\u200b/g, "")).toContain("No article in the coverage matches");
    expect(clickable(reply.content ?? "")).toBe(false);
    const source = await fake.slash(member({ username: "phisher-2" }), "source", { article: PRIZE, paragraph: 1 }).waitForCallback();
    expect(clickable(source.data?.content ?? "")).toBe(false);
  });

  it("escapes stored titles in replies that name them: several matches, /source out of range, /forget", async () => {
    const asker = member({ username: "titles" });
    const out = await fake.slash(asker, "source", { article: lib.articles().find((a) => a.title.startsWith("Council"))!.id, paragraph: 9 }).waitForCallback();
    expect(out.data?.content).toMatch(/has 1 paragraph; pick a number from 1 to 1/);
    expect(clickable(out.data?.content ?? "")).toBe(false);
    expect(unescapeMarkdown(out.data?.content ?? "").replace(/\u200b/g, "")).toContain(MASKED);
    const mod = member({ username: "mod", roles: ["Moderator"] });
    const { asked, result } = await forgetConfirmed(fake, mod, lib.articles().find((a) => a.title.startsWith("Council"))!.id);
    expect(clickable(asked.content ?? "")).toBe(false);
    expect(result).toMatch(/^Removed "Council notice/);
    expect(clickable(result)).toBe(false);
  });

  it("echo() keeps what was typed readable but never a link, a ping or formatting", () => {
    for (const input of [MASKED, "https://evil.example/a", "<https://evil.example>", "@everyone **bold** <@123456789012345678>", "ftp://x.example/y"]) {
      const out = echo(input);
      expect(clickable(out)).toBe(false);
      expect(out).not.toMatch(/(?<!\\)[*<@[]/);
      expect(unescapeMarkdown(out).replace(/\u200b/g, "")).toBe(input);
    }
  });

  it("rate-limits refusals on the mention path and says so at most once per window, publicly", async () => {
    const spammer = member({ username: "spammer" });
    const posted = Array.from({ length: 12 }, (_, i) => fake.postMessage(spammer, i % 3 === 0 ? "" : `${"why ".repeat(400)}?`, { mentionsBot: true }));
    await delay(500);
    await bot.idle();
    const replies = fake.sentMessages.filter((m) => posted.some((p) => m.message.message_reference?.message_id === p.id));
    expect(replies).toHaveLength(1);
    expect(logs.filter((l) => /mention by spammer .* refused/.test(l))).toHaveLength(12);
    expect(logs.filter((l) => /mention by spammer .*already told this member/.test(l))).toHaveLength(11);
    // Over the question limit now: a valid question is refused without a further public reply.
    const after = fake.postMessage(spammer, PESKOV, { mentionsBot: true });
    await delay(300);
    await bot.idle();
    expect(fake.sentMessages.some((m) => m.message.message_reference?.message_id === after.id)).toBe(false);
  });

  it("limits one member's look-ups (autocomplete per key, buttons) without slowing anyone else", async () => {
    const typist = member({ username: "typist" });
    const word = "negotiations aimed at ending";
    const handles = Array.from({ length: 12 }, (_, i) => fake.autocomplete(typist, "ask", "article", word.slice(0, i + 1)));
    const choices = await Promise.all(handles.map((h) => h.waitForChoices(5000)));
    expect(choices.slice(0, 8).every((c) => c.length > 0)).toBe(true);
    expect(choices.slice(8)).toEqual([[], [], [], []]);
    expect((await fake.autocomplete(member({ username: "other" }), "ask", "article", "negotiations").waitForChoices()).length).toBe(1);
    const refused = await fake.slash(typist, "articles").waitForCallback();
    expect(refused.data?.content).toMatch(/^That's a lot of clicks at once/);
    const answer = await fake.slash(typist, "ask", { question: PESKOV }).waitForEdit(undefined, 10_000);
    expect(answer.embeds?.[0]?.description).toContain("publicity");
  });

  it("logs members only as a keyed hash, with e-mail addresses and phone numbers redacted from questions", async () => {
    const ana = member({ username: "ana" });
    await fake.slash(ana, "ask", { question: "Peskov publicity? write me at ana.lopes@example.org or +44 20 7946 0958" }).waitForEdit(undefined, 10_000);
    await expect.poll(() => logs.some((l) => /ask by ana \(m-[0-9a-f]{12}\): ".*\[email\] or \[phone\]"/.test(l))).toBe(true);
    const text = logs.join("\n");
    for (const u of users) expect(text).not.toContain(u.id);
    expect(text).not.toContain("ana.lopes@example.org");
    expect(redactPersonal("call 555-0134 or 0044 (0)20 7946-0958, room 12, in 2025, on 2025-12-04, 1,000,000 people")).toBe(
      "call [phone] or [phone], room 12, in 2025, on 2025-12-04, 1,000,000 people",
    );
  });

  it("stores feedback under the member's hash, one rating per member per answer, and deletes a member's data on request", async () => {
    const rater = member({ username: "rater" });
    const h = fake.slash(rater, "ask", { question: PESKOV });
    await h.waitForEdit(undefined, 10_000);
    await bot.idle(); // the bot remembers the answer for its buttons once the edit is acknowledged
    const message = h.original()!;
    expect((await fake.clickButton(rater, message, "fb:y").waitForCallback()).data?.content).toMatch(/Noted as helpful/);
    expect((await fake.clickButton(rater, message, "fb:n").waitForCallback()).data?.content).toMatch(/already rated/);
    const rows = () => {
      const db = new Database(path.join(dir, "store.db"), { readonly: true, fileMustExist: true });
      try {
        return db.prepare("SELECT by FROM feedback").all() as { by: string }[];
      } finally {
        db.close();
      }
    };
    expect(rows()).toEqual([{ by: lib.memberHash(rater.id) }]);
    // Their rating and the receipt of their question.
    expect(lib.forgetMember(rater.id)).toBe(2);
    expect(rows()).toEqual([]);
  });
});

describe("feedback retention", () => {
  it("drops feedback older than FEEDBACK_RETENTION_DAYS when the store opens", async () => {
    const first = await tempLibrary();
    const answer = await first.lib.answer("anything?");
    first.lib.linkAnswerMessage(first.lib.recordAnswer(answer, { face: "discord", memberId: "123456789012345678" }), "msg-1");
    expect(first.lib.rateAnswer({ messageId: "msg-1", helpful: true, by: "123456789012345678" })).toBe("recorded");
    await first.lib.close();
    const db = new Database(path.join(first.dir, "store.db"));
    db.prepare("INSERT INTO feedback (at, question, answer_json, helpful, by) VALUES (?, 'old?', '{}', 1, 'm-old')").run(new Date(Date.now() - 40 * 86_400_000).toISOString());
    db.close();
    const again = await tempLibrary({ dataDir: first.dir, env: { FEEDBACK_RETENTION_DAYS: "30" } });
    try {
      const check = new Database(path.join(first.dir, "store.db"), { readonly: true });
      expect((check.prepare("SELECT question FROM feedback").all() as { question: string }[]).map((r) => r.question)).toEqual(["anything?"]);
      check.close();
    } finally {
      await again.cleanup();
    }
  });
});
