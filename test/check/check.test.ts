import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CLAIM_CHARS, QuestionError, type ClaimCheck } from "../../src/library.ts";
import type { Library } from "../../src/library-types.ts";
import { expectVerbatim, tempLibrary } from "../support/library.ts";

const SEED = "data/articles/000_ff91c482c5c7be67.txt";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

describe("checking a claim against the bundled story", () => {
  let lib: Library;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, dir, cleanup } = await tempLibrary());
    await lib.ingest([{ name: SEED, bytes: readFileSync(SEED) }]);
  });
  afterAll(() => cleanup());

  /** Checks, and holds every check to the product's promise: each quote verbatim at its offsets, under its citation. */
  async function check(claim: string): Promise<ClaimCheck> {
    const c = await lib.check(claim);
    expectVerbatim(lib, c);
    return c;
  }
  const fact = (c: ClaimCheck, text: string) => c.facts.find((f) => f.text === text);

  it("supports a paraphrase, quoting the sentence that says it, every name stated", async () => {
    const c = await check("Witkoff and Kushner held several hours of talks at the Kremlin.");
    expect(c.verdict).toBe("supported");
    expect(c.quotes[0]!.text).toContain("held several hours of talks at the Kremlin");
    expect(c.facts.map((f) => [f.text, f.status])).toEqual([["Witkoff", "stated"], ["Kushner", "stated"], ["Kremlin", "stated"]]);
  });

  it("marks an altered number as differing and quotes the coverage's number from the sentence it shows", async () => {
    const c = await check("The leaked U.S. draft proposals contained 30 points in total.");
    expect(c.verdict).toBe("contradicted");
    expect(fact(c, "30")).toEqual({ text: "30", kind: "number", status: "differs", coverageSays: "28" });
    expect(c.quotes.some((q) => q.text.includes("28 points in total"))).toBe(true);
  });

  it("says a claim that drops the coverage's negation is contradicted, naming the negated words", async () => {
    const c = await check("Peskov said Russia would provide continuous public updates on the talks.");
    expect(c.verdict).toBe("contradicted");
    const negation = c.facts.find((f) => f.kind === "negation")!;
    expect(negation).toMatchObject({ text: "provide", status: "differs" });
    expect(c.quotes.some((q) => q.text.includes(negation.coverageSays!))).toBe(true);
    expect(negation.coverageSays).toContain("not provide");
  });

  it("and supports the claim with the negation kept", async () => {
    const c = await check("Peskov said Russia would not provide continuous public updates on the talks.");
    expect(c.verdict).toBe("supported");
    expect(c.facts.find((f) => f.kind === "negation")).toMatchObject({ text: "not provide", status: "stated" });
  });

  it("marks another name in the same place as differing, not merely missing", async () => {
    const c = await check("Witkoff and Kushner are scheduled to meet Ukrainian officials in Geneva on Thursday.");
    expect(c.verdict).toBe("contradicted");
    expect(fact(c, "Geneva")).toMatchObject({ status: "differs", coverageSays: "Miami" });
  });

  it("calls a claim with one fact the story does not state partly supported", async () => {
    const c = await check("Witkoff and Kushner held five hours of talks at the Kremlin.");
    expect(c.verdict).toBe("partly");
    expect(fact(c, "five")).toMatchObject({ status: "not_stated" });
  });

  it("says the coverage does not address a claim about something it never mentions, quoting nothing", async () => {
    const c = await check("The weather in Lisbon was sunny on Monday.");
    expect(c.verdict).toBe("not_covered");
    expect(c.quotes).toEqual([]);
    expect(c.facts.every((f) => f.status === "not_stated")).toBe(true);
  });

  it("refuses an empty or too long claim with the reason", async () => {
    await expect(lib.check("   ")).rejects.toThrow(QuestionError);
    await expect(lib.check("x".repeat(MAX_CLAIM_CHARS + 1))).rejects.toThrow(`limit is ${MAX_CLAIM_CHARS}. Check one statement at a time`);
  });

  it("npm run check -- --json prints the one object other tools read", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", TSX, path.join(ROOT, "src/cli/check.ts"), "--data-dir", dir, "--json", "The leaked U.S. draft proposals contained 30 points in total."], {
      cwd: ROOT,
      env: { ...process.env, EMBED_WORKERS: "0" },
    });
    const out = JSON.parse(stdout) as ClaimCheck;
    expect(Object.keys(out)).toEqual(["claim", "verdict", "quotes", "citations", "facts"]);
    expect(out.verdict).toBe("contradicted");
    expect(out.facts).toContainEqual({ text: "30", kind: "number", status: "differs", coverageSays: "28" });
    const q = out.quotes[0]!;
    expect(Object.keys(q).sort()).toEqual(["articleId", "citation", "end", "paragraph", "start", "text"]);
    expect(lib.paragraph(q.articleId, q.paragraph)![0]!.text.slice(q.start, q.end)).toBe(q.text);
    expect(out.citations[0]).toMatchObject({ n: q.citation, articleId: q.articleId, paragraph: q.paragraph, outlet: "V7N" });
  });
});
