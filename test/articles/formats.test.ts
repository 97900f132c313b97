import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { READABLE_EXTENSIONS } from "../../src/articles/formats.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { MAX_ZIP_ENTRIES } from "../../src/articles/zip.ts";
import { AttachmentError, fetchAttachment } from "../../src/ingest/fetch.ts";
import { readSources } from "../../src/ingest/sources.ts";

const STORY = "The harbour council approved the lighthouse budget on Tuesday, the mayor said.";
const bodyFor = (ext: string) => (ext === ".json" ? JSON.stringify({ title: "T", text: STORY }) : ext === ".jsonl" || ext === ".ndjson" ? `${JSON.stringify({ title: "T", text: STORY })}\n` : ext.includes("htm") ? `<html><body><article><p>${STORY}</p></article></body></html>` : STORY);

describe("one table of formats for the parser, folder ingest and uploads", () => {
  it("all three accept the same extensions (.xhtml included)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nq-formats-"));
    try {
      const textual = READABLE_EXTENSIONS.filter((e) => e !== ".zip");
      for (const ext of textual) writeFileSync(path.join(dir, `story${ext}`), bodyFor(ext));
      writeFileSync(path.join(dir, "story.zip"), zipSync({ "inner.txt": strToU8(STORY) }));
      writeFileSync(path.join(dir, "photo.png"), "png");
      const { files } = readSources([dir]);
      expect(files.map((f) => path.extname(f.name)).sort()).toEqual([...READABLE_EXTENSIONS].sort());
      expect(READABLE_EXTENSIONS).toContain(".xhtml");
      for (const f of files) expect(parseSource(f).articles.length, f.name).toBe(1);
      // An upload is refused on its extension before any download, so an unreachable URL tells them apart.
      for (const ext of [...READABLE_EXTENSIONS, ".png"]) {
        const error = await fetchAttachment({ name: `story${ext}`, url: "http://127.0.0.1:9/x", size: 10, contentType: null }, { maxBytes: 1000, timeoutMs: 500, allowPrivateHosts: true }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AttachmentError);
        expect((error as Error).message.includes("not a file type I can read"), ext).toBe(ext === ".png");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a .zip of articles", () => {
  it("reads each file in it, names failures by archive path, and does not unpack archives inside it", () => {
    const zip = zipSync({ "a/one.txt": strToU8(STORY), "a/two.md": strToU8(`# Two\n\n${STORY}`), "inner.zip": zipSync({ "x.txt": strToU8(STORY) }), "__MACOSX/._one.txt": strToU8("junk") });
    const r = parseSource({ name: "desk.zip", bytes: zip });
    expect(r.articles.map((a) => a.origin)).toEqual(["desk.zip/a/one.txt", "desk.zip/a/two.md"]);
    expect(r.errors).toEqual([{ where: "desk.zip/inner.zip", reason: "An archive inside an archive is not unpacked; upload it on its own." }]);
  });

  it("refuses by the declared sizes and counts, before inflating: a bomb, too many files, a broken archive", () => {
    const bomb = zipSync({ "huge.txt": new Uint8Array(25 * 1024 * 1024).fill(97) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    expect(parseSource({ name: "bomb.zip", bytes: bomb }).errors[0]!.reason).toMatch(/is 25\.0 MiB unpacked; the limit is 20\.0 MiB per file/);
    const many = zipSync(Object.fromEntries(Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => [`s${i}.txt`, strToU8(STORY)])));
    expect(parseSource({ name: "many.zip", bytes: many })).toEqual({ articles: [], errors: [{ where: "many.zip", reason: `The archive holds more than ${MAX_ZIP_ENTRIES} files; split it into several archives.` }] });
    expect(parseSource({ name: "broken.zip", bytes: strToU8("PK not really") }).errors[0]!.reason).toMatch(/^The archive could not be unpacked/);
  });
});
