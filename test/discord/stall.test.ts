import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { longestStall } from "../../src/eval/stall.ts";
import type { Library } from "../../src/library-types.ts";
import { anyServer, expectCleanTrafficAfterEach, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord, type InteractionHandle } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const PESKOV = "What did Peskov say about publicity?";

describe("a moderator's big upload does not freeze the bot (real discord.js against the fake)", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let bot: BotHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary({ workers: 1 }));
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib, { moderatorRoles: anyServer("Moderator") }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.();
  });

  it("refuses an article of 30,000 repeated sentences with a reason, at once, and takes the rest of the upload", async () => {
    // The probe's 0.34 MiB JSON: 30 paragraphs of 1,000 repeats of "Rates rose." froze the bot ~30 s.
    const rates = JSON.stringify({ id: "rates", title: "Rates", paragraphs: Array.from({ length: 30 }, () => Array(1000).fill("Rates rose.").join(" ")) });
    const ferry = JSON.stringify({ id: "ferry", title: "Ferry timetable changes", paragraphs: ["The island ferry will run every two hours from May, the harbour office said on Monday."] });
    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "desk.jsonl", data: `${rates}\n${ferry}`, contentType: "application/jsonl" } } });
    const { result: summary, stallMs } = await longestStall(ing.waitForEdit(undefined, 30_000));
    expect(summary.content).toMatch(/^desk\.jsonl: 1 failed, added 1/);
    expect(summary.content).toContain("has 30,000 sentences; the limit is 2,000 per article");
    expect(stallMs).toBeLessThan(1000);
    expect(lib.article("ferry")?.title).toBe("Ferry timetable changes");
    expect(lib.article("rates")).toBeUndefined();
  });

  it("answers members' /ask in time while a 100,000-record JSONL goes in, the longest event-loop stall under a second", async () => {
    // Tiny records whose sentences repeat: after the first few all vectors come from the cache, the
    // case that once never let the event loop run.
    // The probe's case: 100k records froze the bot 133 s; its parse alone, in one call, held it 0.6 s
    // and each index save 1.5 s.
    const records = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ id: `brief-${i}`, title: `Brief ${i}`, paragraphs: [`Brief number ${i % 40} of the overnight desk.`] }));
    const mod = fake.user({ username: "bulk-editor", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "briefs.jsonl", data: records.join("\n"), contentType: "application/jsonl" } } });
    const asks: InteractionHandle[] = [];
    const asking = (async () => {
      for (let n = 0; !ing.original()?.content?.startsWith("briefs.jsonl:") && n < 300; n++) {
        asks.push(fake.slash(fake.user({ username: `member-${n}` }), "ask", { question: PESKOV }));
        await delay(1000);
      }
    })();
    const { result: summary, stallMs } = await longestStall(ing.waitForEdit((m) => m.content?.startsWith("briefs.jsonl:") ?? false, 400_000));
    await asking;
    expect(summary.content).toMatch(/^briefs\.jsonl: added 100000/);
    expect(stallMs).toBeLessThan(1000);
    expect(asks.length).toBeGreaterThan(3);
    for (const h of asks) expect((await h.waitForEdit(undefined, 30_000)).embeds?.[0]?.description).toContain("publicity");
  }, 420_000);
});
