import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articlePage, FeedServer, fullText } from "../support/feed-server.ts";

const TSX = path.resolve("node_modules/.bin/tsx");
const run = promisify(execFile);

/** `npm run feeds -- ARGS` / `npm run corrections -- ARGS` as a person runs them (asynchronously: the feed server is this process). */
async function cli(script: string, dir: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [script, "--data-dir", dir, ...args], { encoding: "utf8", env: { ...process.env, EMBED_WORKERS: "0", FETCH_ALLOW_PRIVATE_HOSTS: "true" } });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const STORY = [
  "The harbour council approved 4.2 million euros for the restoration of the Skerry Point lighthouse on Monday evening.",
  "Work on the lamp room will start in May and should take about eight months, the council's engineer said.",
  "The lighthouse has been dark since a storm damaged its lantern two winters ago, and fishermen have asked for it to be relit.",
];

describe("npm run feeds and npm run corrections", () => {
  let server: FeedServer;
  let dir: string;
  beforeAll(async () => {
    server = await new FeedServer().start();
    server.items = [
      { guid: "lighthouse", title: "Council approves lighthouse budget", path: "/news/lighthouse", content: fullText(STORY) },
      { guid: "fair", title: "Harbour fair", path: "/news/fair", page: articlePage("Harbour fair", ["The harbour fair returns on Saturday with forty stalls and a brass band, the organisers said."]) },
    ];
    dir = mkdtempSync(path.join(tmpdir(), "nq-feeds-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists, polls and removes feeds, and lists the corrections a poll brought", async () => {
    const added = await cli("src/cli/feeds.ts", dir, "add", server.feedUrl);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Following #1 Harbour Gazette http:\/\/127\.0\.0\.1:\d+\/feed\.xml\nadded: /);

    const listed = JSON.parse((await cli("src/cli/feeds.ts", dir, "--json", "list")).stdout);
    expect(listed).toEqual([expect.objectContaining({ id: 1, url: server.feedUrl, title: "Harbour Gazette", articles: 2, failures: 0 })]);

    server.items[0]!.content = fullText(STORY.map((p) => p.replace("4.2 million", "4.6 million")));
    const polled = await cli("src/cli/feeds.ts", dir, "poll");
    expect(polled.stdout).toBe("No feed is due yet (--all polls every feed).\n");
    const all = await cli("src/cli/feeds.ts", dir, "poll", "--all");
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/: new\n {2}updated \(corrected\): Council approves lighthouse budget \(u-[0-9a-f]{16}\)\n$/);

    const corrections = JSON.parse((await cli("src/cli/corrections.ts", dir, "--json")).stdout);
    expect(corrections).toEqual([expect.objectContaining({ title: "Council approves lighthouse budget", changed: [expect.objectContaining({ was: 1, now: 1, before: STORY[0], after: expect.stringContaining("4.6 million") })], added: [], removed: [] })]);
    const text = await cli("src/cli/corrections.ts", dir);
    expect(text.stdout).toContain(`  ¶1 reworded (was ¶1):\n    before: ${STORY[0]}\n`);

    const refused = await cli("src/cli/feeds.ts", dir, "add", `${server.base}/news/fair`);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/Not following it: That address is a web page, not an RSS or Atom feed/);

    const removed = await cli("src/cli/feeds.ts", dir, "remove", "1");
    expect(removed.stdout).toMatch(/^Stopped following #1 .*; the 2 article\(s\) it brought stay\.\n$/);
    expect((await cli("src/cli/feeds.ts", dir, "remove", "1")).status).toBe(1);
    const help = await cli("src/cli/feeds.ts", dir, "--help");
    expect(help.stdout).toMatch(/Commands:\n\s+add <url>/);
  }, 120_000);
});
