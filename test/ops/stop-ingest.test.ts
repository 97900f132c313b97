/**
 * SIGTERM to a running `npm run ingest`: it stops after the chunk it is writing (stored whole),
 * lists the rest as not stored, closes the store and exits 1; running it again completes the batch.
 * And the bot's shutdown as src/discord/main.ts runs it, with a moderator's /ingest in flight:
 * the ingest stops after its chunk, the moderator gets the (partial) result, then the store closes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLibrary } from "../../src/library.ts";
import { startFakeDiscord } from "../../tools/fake-discord/server.ts";
import { startTestBot } from "../support/bot.ts";
import { committedArticles, expectWholeOrAbsent, generateArticles, runNode, startNode, toJsonl } from "../reliability/support.ts";

const work = mkdtempSync(path.join(tmpdir(), "nq-stop-ingest-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run ingest on SIGTERM", () => {
  it("finishes the chunk in hand, reports the rest as not stored, and exits 1", { timeout: 180_000 }, async () => {
    const articles = generateArticles(300, 5, { prefix: "st", unique: true });
    const jsonl = path.join(work, "wire.jsonl");
    writeFileSync(jsonl, toJsonl(articles));
    const dataDir = path.join(work, "data");
    // An embedding worker, as by default: with EMBED_WORKERS=0 the model runs on the main thread
    // and the signal is only handled once it lets go, after the whole batch.
    const { child, done } = startNode("src/cli/ingest.ts", ["--data-dir", dataDir, jsonl], { EMBED_WORKERS: "1" });
    while (committedArticles(dataDir) === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 15));
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("SIGTERM received: shutting down.");
    const stopped = /Ingest stopped early \(shutting down\): (\d+) article\(s\) stored whole, (\d+) not reached and not stored\./.exec(result.stderr);
    expect(stopped, result.stderr).not.toBeNull();
    const [stored, notReached] = [Number(stopped![1]), Number(stopped![2])];
    expect(stored + notReached).toBe(300);
    expect(notReached).toBeGreaterThan(0);
    expect(result.stdout.match(/was not stored: the ingest was stopped before it reached this article/g)).toHaveLength(notReached);

    const present = await expectWholeOrAbsent(dataDir, articles);
    expect(present.size).toBe(stored);

    const again = await runNode("src/cli/ingest.ts", ["--data-dir", dataDir, jsonl], {}, 150_000);
    expect(again.code, again.stderr).toBe(0);
    expect((await expectWholeOrAbsent(dataDir, articles)).size).toBe(300);
  });
});

describe("the bot's shutdown with an /ingest in flight", () => {
  it("stops the ingest after its chunk, answers the moderator, then closes the store", { timeout: 180_000 }, async () => {
    const articles = generateArticles(300, 6, { prefix: "sb", unique: true });
    const dataDir = path.join(work, "bot");
    const stop = new AbortController();
    const warnings: string[] = [];
    const lib = await openLibrary({ dataDir, env: { EMBED_WORKERS: "1" }, warn: (m) => warnings.push(m), stop: stop.signal });
    const fake = await startFakeDiscord({ waitTimeoutMs: 60_000 });
    try {
      const { bot } = await startTestBot(fake, lib);
      const mod = fake.user({ username: "editor", roles: ["Moderator"] });
      const h = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "wire.jsonl", data: toJsonl(articles), contentType: "application/x-ndjson" } } });
      while (committedArticles(dataDir) === 0) await new Promise((r) => setTimeout(r, 15));
      // What runBot does on SIGTERM: abort the library's stop signal, drain the bot, close the library.
      stop.abort();
      await bot.stop();
      expect(h.edits.length, "the moderator was answered before the bot disconnected").toBe(1);
      await lib.close();
      expect(warnings.join("\n")).toMatch(/Ingest stopped early \(shutting down\): \d+ article\(s\) stored whole, \d+ not reached and not stored\./);
      const present = await expectWholeOrAbsent(dataDir, articles);
      expect(present.size).toBeGreaterThan(0);
      expect(present.size).toBeLessThan(300);
    } finally {
      await lib.close();
      await fake.close();
    }
  });
});
