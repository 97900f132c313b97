import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat } from "../../src/cli/chat.ts";
import type { Library } from "../../src/library-types.ts";
import { tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

/** Pipes the lines into the terminal chat and returns everything it printed. */
async function converse(lib: Library, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (d: Buffer) => (printed += d.toString("utf8")));
  input.end(`${lines.join("\n")}\n`);
  await chat(lib, input, output);
  return printed;
}

describe("terminal chat", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
  });
  afterAll(() => cleanup());

  it("answers a follow-up from the earlier question, and /new starts over", async () => {
    const out = await converse(lib, ["who is witkoff", "where are they meeting next?", "/new", "where are they meeting next?"]);
    expect(out).toContain("from earlier: witkoff");
    expect(out).toContain("New conversation: earlier questions no longer count.");
    const tail = out.slice(out.indexOf("New conversation"));
    expect(tail).not.toContain("from earlier");
  });

  it("labels closest coverage as possibly not answering, on each quote, and says what it searched", async () => {
    const out = await converse(lib, ["who is in charge of the kremlin"]);
    expect(out).toContain("Closest coverage — this may not answer your question:");
    expect(out).toMatch(/^ {2}\? “The Kremlin/m);
    expect(out).toContain("Searched 1 article (11 paragraphs) for: charge, kremlin.");
  });
});
