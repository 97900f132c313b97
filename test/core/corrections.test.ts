import { describe, expect, it } from "vitest";
import { diffParagraphs } from "../../src/corrections/diff.ts";
import { ask, tempLibrary, textFile } from "../support/library.ts";

const story = (fare: string, extra: string[] = []) =>
  JSON.stringify({
    id: "ferry-timetable",
    title: "Evening ferry to start on Monday",
    url: "https://gazette.example/news/ferry",
    published: "2026-12-01",
    paragraphs: [
      "The island ferry will run twice a day from next Monday, the port authority said on Tuesday.",
      ...extra,
      `Fares stay at ${fare} for adults, and children under 12 travel free, the authority added.`,
      "Residents had asked for an evening crossing for years.",
    ],
  });

describe("corrections", () => {
  it("lists what a new version reworded, and finds the posted answers whose quoted words are gone", async () => {
    const { lib, cleanup } = await tempLibrary();
    try {
      await lib.ingest([textFile("ferry.json", story("12 euros"))]);
      const fares = await ask(lib, "how much are ferry fares for adults?");
      expect(fares.quotes.map((q) => q.text).join(" ")).toContain("12 euros");
      const posted = lib.recordAnswer(fares, { face: "discord", guildId: "g1", channelId: "c1", memberId: "u1" });
      lib.linkAnswerMessage(posted, "m1");
      const ferry = await ask(lib, "when does the island ferry start running twice a day?");
      const untouched = lib.recordAnswer(ferry, { face: "discord", guildId: "g1", channelId: "c1", memberId: "u2" });
      lib.linkAnswerMessage(untouched, "m2");

      // The correction changes the fare and adds a paragraph before it.
      await lib.ingest([textFile("ferry.json", story("14 euros", ["The second crossing leaves at 6 p.m."]))]);
      const [correction] = lib.corrections();
      expect(correction).toMatchObject({ articleId: "ferry-timetable", previousId: null, retitled: null });
      expect(correction!.changed).toEqual([{ was: 2, now: 3, before: expect.stringContaining("12 euros"), after: expect.stringContaining("14 euros") }]);
      expect(correction!.added).toEqual([{ now: 2, text: "The second crossing leaves at 6 p.m." }]);
      expect(correction!.removed).toEqual([]);
      expect(lib.earlierWording("ferry-timetable", 3)).toMatchObject({ before: expect.stringContaining("12 euros"), was: 2 });
      expect(lib.earlierWording("ferry-timetable", 1)).toBeNull();

      // Only the answer that quoted the corrected words needs a note; the other's paragraph only moved or stayed.
      const outdated = lib.outdatedAnswers(["ferry-timetable"]);
      expect(outdated).toEqual([
        { receiptId: posted, channelId: "c1", messageId: "m1", notes: [expect.objectContaining({ what: "corrected", articleId: "ferry-timetable", paragraph: fares.citations[0]!.paragraph, at: correction!.at })] },
      ]);
      // Answers never quote the superseded text.
      expect((await ask(lib, "how much are ferry fares for adults?")).quotes.map((q) => q.text).join(" ")).not.toContain("12 euros");

      await lib.forget("ferry-timetable");
      expect(lib.outdatedAnswers(["ferry-timetable"]).map((o) => [o.messageId, o.notes.map((n) => n.what)])).toEqual([
        ["m1", ["removed"]],
        ["m2", ["removed"]],
      ]);
    } finally {
      await cleanup();
    }
  });

  it("aligns paragraphs so that an inserted or removed one does not make the rest look changed", () => {
    expect(diffParagraphs(["a", "b", "c"], ["a", "new", "b", "c"])).toEqual({ changed: [], added: [{ now: 2, text: "new" }], removed: [] });
    expect(diffParagraphs(["a", "b", "c"], ["a", "c"])).toEqual({ changed: [], added: [], removed: [{ was: 2, text: "b" }] });
    expect(diffParagraphs(["a", "b x y", "c"], ["a", "B x y", "c", "d"])).toEqual({ changed: [{ was: 2, now: 2, before: "b x y", after: "B x y" }], added: [{ now: 4, text: "d" }], removed: [] });
  });
});
