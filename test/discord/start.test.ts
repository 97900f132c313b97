import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { expectNoPings, quotesOf } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { freePort } from "../support/net.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const START = path.join(ROOT, "src/cli/start.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * `npm start` as production runs it (node + tsx + src/cli/start.ts), with DISCORD_TOKEN and
 * DISCORD_API_URL pointing at the fake: the same code path as a real deployment.
 */
describe("npm start with DISCORD_TOKEN", () => {
  let fake: FakeDiscord | undefined;
  let child: ChildProcess | undefined;
  const tmp = mkdtempSync(path.join(tmpdir(), "nq-start-"));
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    await fake?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("connects, registers the commands, answers /ask, serves the staff web pages (WEB_PORT), and shuts down cleanly on SIGTERM", async () => {
    fake = await startFakeDiscord();
    const webPort = await freePort();
    const webToken = "start-test-web-token-0123456789";
    // A clean environment (and a cwd without .env), so a developer's settings cannot leak in.
    child = spawn(process.execPath, ["--import", TSX, START], {
      cwd: tmp,
      env: {
        PATH: process.env.PATH,
        HOME: tmp,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DATA_DIR: path.join(tmp, "data"),
        EMBED_WORKERS: "0",
        LOG_LEVEL: "info",
        SEED_SAMPLE: "true",
        WEB_PORT: String(webPort),
        WEB_TOKEN: webToken,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

    // Commands are registered after READY: once they are there, the bot is listening.
    await fake.waitForRequest((r) => r.method === "PUT" && r.path === `/applications/${fake!.applicationId}/commands`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- bot output ---\n${output}`);
    });
    expect(fake.commands.map((c) => c.name).sort()).toEqual(["articles", "ask", "check", "corrections", "feeds", "forget", "gaps", "help", "ingest", "receipt", "source", "web"]);
    expect(fake.commands.every((c) => c.guild_id === undefined)).toBe(true);

    const h = fake.slash(fake.user({ username: "ana" }), "ask", { question: "What did Peskov say about publicity?" });
    expect((await h.waitForCallback(undefined, 5000)).type).toBe(5);
    const edit = await h.waitForEdit(undefined, 15_000);
    expectNoPings(edit, h.original());
    const [quote] = quotesOf(edit.embeds?.[0]);
    expect(quote?.text).toContain("excessive publicity could hinder progress");
    fake.assertClean();

    // The web face in the same process, over the same store: search, then the cited article at its paragraph.
    const web = `http://127.0.0.1:${webPort}`;
    const auth = { headers: { authorization: `Bearer ${webToken}` } };
    const search = await fetch(`${web}/search?q=${encodeURIComponent("What did Peskov say about publicity?")}`, auth);
    expect(search.status).toBe(200);
    const found = await search.text();
    expect(found).toMatch(/<mark>[^<]*excessive publicity could hinder progress[^<]*<\/mark>/);
    const article = /href="(\/articles\/[^"?]+)\?p=(\d+)/.exec(found)!;
    expect(await (await fetch(`${web}${article[1]}`, auth)).text()).toContain(`<p id="p${article[2]}"`);
    expect((await fetch(`${web}${article[1]}`)).status).toBe(401);

    child.kill("SIGTERM");
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 15 s after SIGTERM\n--- bot output ---\n${output}`)), 15_000)),
    ]);
    if (process.env.SHOW_BOT_LOGS) console.log(output);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/has never held an article; adding the bundled sample coverage/);
    expect(output).toMatch(/Connected as Newsroom Quotes \(\d+\) to 1 server; 1 article in the coverage\. Discord API: http:\/\/127\.0\.0\.1:\d+\/api \(DISCORD_API_URL, meant for testing\)\./);
    expect(output).toMatch(/registered globally/);
    expect(output).toMatch(/Intents: Guilds, GuildMessages\. @mention questions: on/);
    expect(output).toMatch(/ask by ana \(m-[0-9a-f]{12}\): "What did Peskov say about publicity\?" -> answered/);
    expect(output).toMatch(/SIGTERM received: shutting down\.[\s\S]*Disconnected from Discord\.[\s\S]*Store closed\.[\s\S]*Writer lock released\. Bye\./);
    expect(output).toContain(`Staff web pages: ${web} (WEB_PUBLIC_URL unset: the bot gives no links to them).`);
    await expect(fetch(`${web}/`)).rejects.toThrow();
    expect(output).not.toContain(fake.token);
    expect(output).not.toContain(webToken);
  });
});
