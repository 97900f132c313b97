import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { CLOSEST_LABEL } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { expectQuotesVerbatim, expectWithinLimits, quotesOf, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const MS = 10_000;
const WHO = "who is witkoff";
const NEXT = "where are they meeting next?";
const MIAMI = "scheduled to meet Ukrainian officials in Miami";

async function seeded(env: Record<string, string> = {}) {
  const t = await tempLibrary({ env });
  await t.lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
  return t;
}

describe("the closest tier in Discord (real discord.js against the fake)", () => {
  it("renders quotes below the answer threshold labelled as closest coverage, apart from an answer", async () => {
    // A threshold no answer reaches puts every reply with quotes in the closest tier.
    const { lib, cleanup } = await seeded({ MIN_CONFIDENCE: "0.999" });
    const fake = await startFakeDiscord();
    try {
      const { bot } = await startTestBot(fake, lib);
      expect((await lib.answer("What did Peskov say about publicity?")).status).toBe("closest");
      const edit = await fake.slash(fake.user({ username: "ana" }), "ask", { question: "What did Peskov say about publicity?" }).waitForEdit(undefined, MS);
      expectWithinLimits(edit);
      expect(edit.content).toMatch(new RegExp(`^\\*\\*${CLOSEST_LABEL}\\.\\*\\*`));
      const embed = edit.embeds![0]!;
      expect(embed.author?.name).toBe(CLOSEST_LABEL);
      expect(embed.color).not.toBe(0x2f6fde);
      expect(embed.footer?.text).toMatch(/below the answer threshold/);
      expect(expectQuotesVerbatim(lib, edit)[0]!.text).toContain("publicity");
      await bot.stop();
      fake.assertClean();
    } finally {
      await fake.close();
      await cleanup();
    }
  });
});

describe("follow-up questions (real discord.js against the fake)", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;
  beforeAll(async () => {
    ({ lib, cleanup } = await seeded());
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib));
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.();
  });

  const firstAnswer = async (username: string) => {
    const h = fake.slash(fake.user({ username }), "ask", { question: WHO });
    const edit = await h.waitForEdit(undefined, MS);
    expect(quotesOf(edit.embeds?.[0]).some((q) => q.text.includes("Witkoff"))).toBe(true);
    await bot.idle();
    return h.original()!;
  };
  const quotedText = (body: Parameters<typeof quotesOf>[0]) => quotesOf(body).map((q) => q.text).join(" ");

  it("without the conversation, the follow-up alone finds nothing about the meeting", async () => {
    const alone = await fake.slash(fake.user({ username: "newcomer" }), "ask", { question: NEXT }).waitForEdit(undefined, MS);
    expect(quotedText(alone.embeds?.[0])).not.toContain(MIAMI);
  });

  it("answers a question asked in a thread opened from an answer with that conversation as context", async () => {
    const answer = await firstAnswer("thread-starter");
    const thread = fake.startThread(answer, "Witkoff");
    const asker = fake.user({ username: "follower" });
    const posted = fake.postMessage(asker, NEXT, { mentionsBot: true, thread });
    const reply = await fake.waitForMessage((m) => m.message.message_reference?.message_id === posted.id, MS);
    expect(reply.channelId).toBe(thread);
    expectWithinLimits(reply.body);
    expectQuotesVerbatim(lib, reply.body);
    expect(quotedText(reply.body.embeds?.[0])).toContain(MIAMI);
  });

  it("answers a reply to an answer as a follow-up of it", async () => {
    const answer = await firstAnswer("replier-first");
    const posted = fake.postMessage(fake.user({ username: "replier" }), NEXT, { replyTo: answer });
    const reply = await fake.waitForMessage((m) => m.message.message_reference?.message_id === posted.id, MS);
    expectQuotesVerbatim(lib, reply.body);
    expect(quotedText(reply.body.embeds?.[0])).toContain(MIAMI);
  });
});
