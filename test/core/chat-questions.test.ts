import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { normaliseQuestion } from "../../src/retrieval/chat-language.ts";
import { ask, tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";

describe("questions typed the way members chat, over the seed story", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
  });
  afterAll(() => cleanup());

  it("rewrites chat spellings and drops filler before searching", () => {
    expect(normaliseQuestion("anyone know who witkoff is lol").text).toBe("who witkoff is");
    expect(normaliseQuestion("hey bot whats up w/ the geneva meetings??").text).toBe("what is up with the geneva meetings");
    expect(normaliseQuestion("is trump hyped abt the talks or nah").text).toBe("is trump hyped about the talks");
    expect(normaliseQuestion("what did the US say").text).toBe("what did the US say");
  });

  it("finds Zelenskiy when a member spells him Zelensky, and says what it searched in the member's words", async () => {
    const a = await ask(lib, "whats zelensky saying");
    expect(a.status).toBe("answered");
    expect(a.quotes[0]!.text).toContain("Zelenskiy");
    expect(a.searched.terms).toEqual(["zelensky"]);
    expect(a.searched.corrected).toEqual([{ from: "zelensky", to: "zelenskiy" }]);
  });

  it("shows the member's words, never stems", async () => {
    const a = await lib.answer("has anything been agreed about the weather in Lisbon?");
    expect(a.searched.terms).toEqual(expect.arrayContaining(["agreed", "weather", "lisbon"]));
    expect(a.searched.terms.join(" ")).not.toMatch(/\bagre\b|\banyth\b/);
  });

  it("settles a yes/no question with the sentence that says no deal was reached", async () => {
    const a = await ask(lib, "is there a deal yet?");
    expect(a.kind).toBe("yesno");
    expect(a.status).not.toBe("not_found");
    expect(a.quotes.map((q) => q.text).join(" ")).toMatch(/no final agreements|not yet been found/);
  });

  it("quotes Putin's own words about Europe, not a sentence that only mentions Europe", async () => {
    const a = await ask(lib, "what did putin say about europe");
    expect(a.kind).toBe("said");
    expect(a.quotes[0]!.text).toMatch(/^Putin has accused European countries/);
  });

  it("answers who someone is with the sentence that names their role", async () => {
    const a = await ask(lib, "anyone know who ushakov is lol");
    expect(a.kind).toBe("whois");
    expect(a.quotes[0]!.text).toContain("foreign policy aide Yuri Ushakov");
  });

  it("resolves a follow-up from the conversation, and not without it", async () => {
    const first = await ask(lib, "who is witkoff");
    const follow = await ask(lib, "where are they meeting next?", { context: [{ question: "who is witkoff", answer: first }] });
    expect(follow.status).not.toBe("not_found");
    expect(follow.quotes[0]!.text).toContain("Miami");
    expect(follow.searched.fromContext).toEqual(["witkoff"]);
    const alone = await lib.answer("where are they meeting next?");
    expect(alone.searched.fromContext).toEqual([]);
  });

  it("does not take an existential 'there' for a place named earlier", async () => {
    const first = await ask(lib, "whats zelensky saying");
    const next = await ask(lib, "is there a deal yet?", { context: [{ question: "whats zelensky saying", answer: first }] });
    expect(next.searched.fromContext).toEqual([]);
  });

  it("takes a question word followed by a preposition as a follow-up that left its subject out", async () => {
    const first = await ask(lib, "how many points were in the leaked us draft");
    const follow = await ask(lib, "how many in total", { context: [{ question: "how many points were in the leaked us draft", answer: first }] });
    expect(follow.searched.fromContext).toEqual(expect.arrayContaining(["points", "draft"]));
    expect(follow.quotes[0]!.text).toContain("28 points in total");
  });

  it("quotes close coverage in its own tier, and declines when nothing is close", async () => {
    const close = await ask(lib, "who is in charge of the kremlin");
    expect(close.status).toBe("closest");
    expect(close.confidence).toBeLessThan(0.5);
    expect(close.quotes.length).toBeGreaterThan(0);
    const none = await ask(lib, "how much is witkoff paid");
    expect(none.status).toBe("not_found");
    expect(none.quotes).toEqual([]);
    expect(none.citations.length).toBeGreaterThan(0);
  });
});
