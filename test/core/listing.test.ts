import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { tempLibrary, textFile } from "../support/library.ts";

const record = (id: string, title: string, published?: string) =>
  JSON.stringify({ id, title, ...(published ? { published } : {}), paragraphs: [`${title} was reported by the desk on the day it happened, with quotes from people there.`] });

describe("the coverage listing and article search", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([textFile("old.jsonl", [record("dated-old", "Harbour wall repaired", "2024-03-01"), record("undated-a", "Ferry timetable changes")].join("\n"))]);
    // Ingested later, so by ingest time these are the newest; the dated ones still come first.
    await lib.ingest([textFile("new.jsonl", [record("dated-new", "Council elects a new chair", "2025-06-10"), record("undated-b", "Library opens on Sundays 100% of weeks")].join("\n"))]);
  });
  afterAll(async () => cleanup?.());

  it("lists dated articles newest first by publication date, and undated ones after them", () => {
    const page = lib.articlePage(1, 10);
    expect(page.articles.map((a) => a.id)).toEqual(["dated-new", "dated-old", "undated-b", "undated-a"]);
    expect(page).toMatchObject({ total: 4, undated: 2, page: 1, pages: 1 });
    expect(lib.articles().map((a) => a.id)).toEqual(page.articles.map((a) => a.id));
  });

  it("pages in the same order and keeps an out-of-range page within the listing", () => {
    expect(lib.articlePage(2, 3).articles.map((a) => a.id)).toEqual(["undated-a"]);
    expect(lib.articlePage(99, 3)).toMatchObject({ page: 2, pages: 2 });
    expect(lib.articlePage(0, 3).page).toBe(1);
  });

  it("finds articles by every title word in any case, or by id prefix, and treats % and _ as text", () => {
    expect(lib.findArticles("COUNCIL chair").map((a) => a.id)).toEqual(["dated-new"]);
    expect(lib.findArticles("undated-").map((a) => a.id).sort()).toEqual(["undated-a", "undated-b"]);
    expect(lib.findArticles("100%").map((a) => a.id)).toEqual(["undated-b"]);
    expect(lib.findArticles("%")).toHaveLength(1);
    expect(lib.findArticles("_")).toHaveLength(0);
    expect(lib.findArticles("chair harbour")).toHaveLength(0);
    expect(lib.findArticles("", 2).map((a) => a.id)).toEqual(["dated-new", "dated-old"]);
    expect(lib.article("dated-old")?.title).toBe("Harbour wall repaired");
    expect(lib.article("nope")).toBeUndefined();
  });
});
