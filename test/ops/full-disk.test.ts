import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import type { Library } from "../../src/library-types.ts";
import { anyServer, expectCleanTrafficAfterEach, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

/**
 * A real full disk: the store on a small tmpfs (these machines run tests as root). The upload is
 * far bigger than the room left, so some chunks land and the rest cannot.
 */
describe("a disk that fills during an /ingest (real discord.js against the fake)", () => {
  let mount: string;
  let fake: FakeDiscord;
  let lib: Library;
  let bot: BotHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    mount = mkdtempSync(path.join(tmpdir(), "nq-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mount]);
    const dataDir = path.join(mount, "data");
    mkdirSync(dataDir);
    ({ lib, cleanup } = await tempLibrary({ dataDir }));
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib, { moderatorRoles: anyServer("Moderator") }));
  });
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await cleanup?.().catch(() => {});
    if (mount) {
      execFileSync("umount", [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });

  it("tells the moderator what was stored and what was not, instead of 'something went wrong', and keeps answering", async () => {
    // One text for all: its vectors come from the cache after the first chunk, and each article's
    // stored paragraph still takes room.
    const paragraph = `Filler paragraph ${"with words that take room on the disk ".repeat(40)}`;
    const records = Array.from({ length: 3_000 }, (_, i) => JSON.stringify({ id: `filler-${i}`, title: `Filler ${i}`, paragraphs: [paragraph] }));
    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    const ing = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "filler.jsonl", data: records.join("\n"), contentType: "application/jsonl" } } });
    const summary = await ing.waitForEdit(undefined, 120_000);
    const content = summary.content ?? "";
    const [, failed, added] = /^filler\.jsonl: (\d+) failed, added (\d+)/.exec(content) ?? [];
    expect(Number(failed)).toBeGreaterThan(0);
    expect(Number(added)).toBeGreaterThan(0);
    expect(Number(failed) + Number(added)).toBe(3_000);
    expect(content).toMatch(/the disk holding .* is full/);
    expect(content).not.toMatch(/something went wrong/i);
    expect(lib.stats().articles).toBe(Number(added) + 1);
    const answer = await fake.slash(fake.user({ username: "reader" }), "ask", { question: "What did Peskov say about publicity?" }).waitForEdit(undefined, 30_000);
    expect(answer.embeds?.[0]?.description).toContain("publicity");
  }, 180_000);
});
