import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLibrary } from "../../src/library.ts";
import { textFile } from "../support/library.ts";

const TSX = path.resolve("node_modules/.bin/tsx");
const HARBOUR = [
  "The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million euros for restoring the old lighthouse.",
  "Councillor Marta Quental said the restoration would begin in the spring and take two years.",
];
const record = (paragraphs: string[]) => textFile("harbour.jsonl", JSON.stringify({ id: "harbour-lighthouse", title: "Harbour council approves the lighthouse budget", paragraphs }));
const receipt = (...args: string[]) => spawnSync(TSX, ["src/cli/receipt.ts", ...args], { encoding: "utf8", env: { ...process.env, EMBED_WORKERS: "0" } });

describe("npm run receipt", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nq-receipt-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withLibrary = async <T>(work: (lib: Awaited<ReturnType<typeof openLibrary>>) => Promise<T>) => {
    const lib = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
    try {
      return await work(lib);
    } finally {
      await lib.close();
    }
  };

  it("shows a receipt in the words /receipt uses, marks the paragraph a correction changed, and exits 3 then", async () => {
    const id = await withLibrary(async (lib) => {
      await lib.ingest([record(HARBOUR)]);
      return lib.recordAnswer(await lib.answer("How much is the lighthouse budget?"), { face: "cli" });
    });
    const before = receipt("--data-dir", dir, id);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toContain(`Receipt ${id}, `);
    expect(before.stdout).toContain("  where:    npm run ask\n");
    expect(before.stdout).toMatch(/\n {2}\[1\] Harbour council approves the lighthouse budget, paragraph 1 \(harbour-lighthouse; text [0-9a-f]{12}\): reads the same today\n/);

    await withLibrary((lib) => lib.ingest([record([HARBOUR[0]!.replace("4.2 million", "4.8 million"), HARBOUR[1]!])]));
    const after = receipt("--data-dir", dir, id.toLowerCase());
    expect(after.status).toBe(3);
    expect(after.stdout).toMatch(/\n! \[1\] Harbour council approves the lighthouse budget, paragraph 1 \(.*\): no longer reads the same \(the quoted words are no longer in it\)\n/);
    expect(after.stdout).toContain("Some cited paragraphs changed since this answer was given.");

    const malformed = receipt("--data-dir", dir, "nonsense");
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('"nonsense" is not a receipt id: they look like R-7K3Q9X');
  });
});
