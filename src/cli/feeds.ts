import { Command } from "commander";
import { FeedError, openLibrary } from "../library.ts";
import type { Feed, Library, PollReport } from "../library-types.ts";
import { acquireWriterLock } from "../ops/lock.ts";
import { onShutdownSignals } from "../ops/signals.ts";
import { loadCoreConfig } from "../config.ts";
import { loadEnv, run, stderrSay } from "./common.ts";

/**
 * The feeds the coverage follows, from a terminal: what `/feeds` does in Discord, plus `poll` for a
 * store that no bot serves (from cron, say). The running bot polls by itself.
 */
const program = new Command("npm run feeds --")
  .description("Follow RSS / Atom feeds: their new and corrected articles join the coverage by themselves (the bot polls them; `poll` does it once).")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the result as JSON on stdout")
  .addHelpText(
    "after",
    "\nExit code: 0 on success, 1 when a feed was refused or a poll failed, 2 on a setup error." +
      "\nadd, remove and poll write to the store: like ingest, they refuse to run while the bot or another writer has it open.",
  );

program.command("add").description("follow a feed: it is read at once, and kept only if it is one").argument("<url>", "the feed's address (RSS or Atom)").action((url: string) => main((lib) => add(lib, url), true));
program.command("list").description("the feeds followed, their health and next poll").action(() => main(list, false));
program.command("remove").description("stop following a feed (its articles stay)").argument("<feed>", "the feed's number (from list) or its address").action((ref: string) => main((lib) => remove(lib, ref), true));
program
  .command("poll")
  .description("poll the feeds that are due now (--all: every feed)")
  .option("--all", "poll every feed, due or not")
  .action((o: { all?: boolean }) => main((lib) => poll(lib, o.all ?? false), true));

const json = () => program.opts<{ json?: boolean }>().json ?? false;
const out = (value: unknown, text: string) => process.stdout.write(json() ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

function main(action: (lib: Library) => Promise<void>, writes: boolean): void {
  run(async () => {
    loadEnv();
    const dataDir = program.opts<{ dataDir?: string }>().dataDir;
    const lock = writes ? acquireWriterLock(loadCoreConfig(process.env, { dataDir }).dataDir, "npm run feeds") : null;
    const shutdown = onShutdownSignals(stderrSay);
    try {
      const lib = await openLibrary({ dataDir, stop: shutdown.stop });
      try {
        await action(lib);
      } finally {
        await lib.close();
      }
    } finally {
      lock?.release();
      shutdown.dispose();
    }
  });
}

async function add(lib: Library, url: string): Promise<void> {
  try {
    stderrSay.info(`Reading ${url} ...`);
    const { feed, existed, first } = await lib.feeds.add(url, { by: "cli", guildId: null, channelId: null });
    out({ feed, existed, first }, existed ? `Already following #${feed.id} ${feed.url}.` : [`Following #${feed.id} ${feed.title ?? ""} ${feed.url}`, ...(first ? describePoll(first) : [])].join("\n"));
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

async function list(lib: Library): Promise<void> {
  const feeds = lib.feeds.list();
  out(feeds, feeds.length ? feeds.map(describeFeed).join("\n") : "No feeds are followed. Add one: npm run feeds -- add https://example.org/feed.xml");
}

async function remove(lib: Library, ref: string): Promise<void> {
  const feed = lib.feeds.find(ref);
  if (!feed || !lib.feeds.remove(feed.id)) {
    process.stderr.write(`No feed ${ref} is followed; npm run feeds -- list shows them.\n`);
    process.exitCode = 1;
    return;
  }
  out({ removed: feed }, `Stopped following #${feed.id} ${feed.url}; the ${feed.articles} article(s) it brought stay.`);
}

async function poll(lib: Library, all: boolean): Promise<void> {
  const reports = await lib.feeds.pollDue({ all });
  out(reports, reports.length ? reports.flatMap((r) => [`#${r.feed.id} ${r.feed.url}: ${r.outcome}${r.error ? ` (${r.error})` : ""}`, ...describePoll(r).map((l) => `  ${l}`)]).join("\n") : "No feed is due yet (--all polls every feed).");
  if (reports.some((r) => r.outcome === "failed")) process.exitCode = 1;
}

function describeFeed(f: Feed): string {
  const health = f.failures ? `${f.failures} failed poll(s) in a row: ${f.lastError}` : `last read ${f.lastOkAt ?? "never"}`;
  return `#${f.id} ${f.title ?? "(untitled)"} ${f.url}\n   ${f.articles} article(s); ${health}; next poll ${f.nextPollAt}${f.backlog ? `; ${f.backlog} item(s) waiting` : ""}`;
}

function describePoll(r: PollReport): string[] {
  return [
    ...r.added.map((a) => `added: ${a.title} (${a.id})`),
    ...r.updated.map((a) => `updated (corrected): ${a.title} (${a.id})`),
    ...r.skipped.map((s) => `skipped: ${s.item}: ${s.reason}`),
    ...r.retry.map((s) => `to retry next poll: ${s.item}: ${s.reason}`),
    ...(r.duplicates ? [`${r.duplicates} item(s) repeated an id and were taken once`] : []),
    ...(r.feed.backlog ? [`${r.feed.backlog} item(s) wait for the next polls`] : []),
  ];
}

program.parse();
