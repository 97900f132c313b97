import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibrary } from "../../src/library.ts";
import type { Library } from "../../src/library-types.ts";
import { tempLibrary, textFile } from "../support/library.ts";

const record = (id: string, text: string) => JSON.stringify({ id, title: `Story ${id}`, paragraphs: [text] });
const CACHED = "The harbour office said the ferry would run every two hours from May.";

/**
 * Two writers on one store (what the writer lock prevents between processes, and what a CLI ingest
 * racing the bot once did): both plan before either writes, then one id lands twice. It once failed
 * the whole 24-article chunk of the slower ingest on a unique-id conflict.
 */
describe("an id stored by another ingest while this one was planning", () => {
  let first: Library;
  let second: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib: first, cleanup } = await tempLibrary());
    second = await openLibrary({ dataDir: first.dataDir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    // Warms the embedding cache, so that the fast ingest below needs no model time.
    await first.ingest([textFile("warm.jsonl", record("warm", CACHED))]);
    await first.forget("warm");
  });
  afterAll(async () => {
    await second?.close();
    await cleanup?.();
  });

  it("fails only the article whose id was taken, and stores the rest of its chunk", async () => {
    const batch = Array.from({ length: 12 }, (_, i) => record(`desk-${i}`, `Desk report ${i}: the council voted on the ${i}th item of the harbour budget.`));
    batch.push(record("shared", "A different version of the shared story, with its own words."));
    // The slow ingest has planned and is embedding when the fast one (cached text) lands "shared".
    let racing: ReturnType<Library["ingest"]> | undefined;
    const summary = await first.ingest([textFile("desk.jsonl", batch.join("\n"))], {
      // The first progress report comes once everything is planned, before any chunk is written.
      onProgress: () => void (racing ??= second.ingest([textFile("wire.jsonl", record("shared", CACHED))])),
    });
    const fast = await racing!;
    expect(fast.added).toEqual(["shared"]);
    expect(summary.added.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `desk-${i}`).sort());
    expect(summary.failed).toEqual([{ where: "desk.jsonl:13 (shared)", reason: expect.stringMatching(/^was not stored: another ingest stored an article with this id/) }]);
    expect(first.paragraph("shared", 1)?.[0]?.text).toBe(CACHED);
  });
});
