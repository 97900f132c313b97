import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clip, isHttpUrl, oneLine, plural, truncateAtWord } from "../../src/common/text.ts";

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("text helpers", () => {
  it("cut at a word boundary, mark the cut, and never split a surrogate pair", () => {
    expect(truncateAtWord("one two three", 9)).toBe("one two…");
    expect(truncateAtWord("one two, three", 10)).toBe("one two…");
    expect(truncateAtWord("😀😀😀", 4)).toBe("😀…");
    expect(truncateAtWord("short", 5)).toBe("short");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), fc.integer({ min: 1, max: 90 }), (s, max) => {
        const cut = truncateAtWord(s, max);
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, 0));
        if (s.length <= max) expect(cut).toBe(s);
        else expect(cut.endsWith("…")).toBe(true);
        expect(loneSurrogate.test(cut)).toBe(loneSurrogate.test(s));
      }),
    );
  });

  it("put text on one line and clip it anywhere, marked, for logs and labels", () => {
    expect(oneLine("  Ferry\n\tstrike  called off ")).toBe("Ferry strike called off");
    expect(clip("Ferry\nstrike called off", 10)).toBe("Ferry str…");
    expect(clip("a😀b", 3)).toBe("a…");
    expect(clip("ok", 10)).toBe("ok");
  });

  it("say counts in words and accept only web links", () => {
    expect(plural(1, "article")).toBe("1 article");
    expect(plural(0, "article")).toBe("0 articles");
    expect(plural(2, "query", "queries")).toBe("2 queries");
    expect(isHttpUrl("https://example.org/a")).toBe(true);
    expect(isHttpUrl("javascript:alert(1)")).toBe(false);
    expect(isHttpUrl("not a url")).toBe(false);
  });
});
