import type { Client } from "discord.js";
import type { PollReport } from "../library-types.ts";
import { plural } from "../common/text.ts";
import type { BotContext } from "./context.ts";
import { followCorrections } from "./follow-corrections.ts";
import { renderAnnouncement, renderFeedProblem } from "./render-feeds.ts";
import type { MessagePayload } from "./render.ts";

export interface FeedPoller {
  /** Polls the feeds that are due now (tests; and the timer). */
  pollDue(): Promise<PollReport[]>;
  stop(): void;
}

/**
 * The bot's schedule for followed feeds: one timer, set for the soonest feed due (and at least
 * every poll interval, so that a feed added from the CLI meanwhile is picked up), polling in the
 * ingest queue so that a poll and an /ingest never write at once. After a poll: new articles
 * announced (FEEDS_ANNOUNCE_CHANNEL), corrected ones followed into the answers that quoted them,
 * and a feed that keeps failing reported where it was added (or FEEDS_REPORT_CHANNEL).
 * No scheduler library: a single self-rearming timer is all this needs, and it survives nothing a
 * library would: the schedule itself lives in the store (feeds.next_poll_at).
 */
export function startFeedPoller(ctx: BotContext, client: Client<true>, intervalMs: number, track: (work: Promise<void>) => void): FeedPoller {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<PollReport[]> | null = null;

  const pollDue = (): Promise<PollReport[]> => {
    running ??= ctx.work
      .ingest(() => ctx.lib.feeds.pollDue())
      .then(async (reports) => {
        await afterPoll(ctx, client, reports);
        return reports;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const arm = () => {
    if (stopped) return;
    const due = ctx.lib.feeds.nextDue();
    const wait = Math.max(1000, Math.min(intervalMs, due ? due.getTime() - Date.now() : intervalMs));
    timer = setTimeout(() => {
      if (stopped || ctx.stopping()) return;
      track(
        pollDue().then(
          () => arm(),
          (error: unknown) => {
            ctx.log.error("feed poll failed", error);
            arm();
          },
        ),
      );
    }, wait);
    timer.unref();
  };
  arm();

  return {
    pollDue,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function afterPoll(ctx: BotContext, client: Client, reports: PollReport[]): Promise<void> {
  const added = reports.flatMap((r) => r.added);
  for (const r of reports) {
    const f = r.feed;
    if (r.outcome === "failed") ctx.log.warn(`Feed #${f.id} ${f.url}: poll failed (${plural(f.failures, "failure")} in a row, next poll ${f.nextPollAt}): ${r.error}`);
    else if (r.outcome === "new" || r.skipped.length || r.retry.length) {
      ctx.log.info(
        `Feed #${f.id} ${f.url}: ${r.added.length} added, ${r.updated.length} updated, ${r.skipped.length} skipped, ${r.retry.length} to retry` +
          (f.backlog ? `, ${f.backlog} waiting` : "") +
          r.skipped.map((s) => `; skipped "${s.item}": ${s.reason}`).join(""),
      );
    } else ctx.log.debug(`Feed #${f.id} ${f.url}: ${r.outcome}`);
    if (r.report) await post(ctx, client, f.channelId ?? ctx.config.feedsReportChannel, renderFeedProblem(r), `the report on feed #${f.id}`);
  }
  const updated = reports.flatMap((r) => r.updated.map((u) => u.id));
  if (updated.length > 0) await followCorrections(ctx, client, updated);
  if (added.length > 0 && ctx.config.feedsAnnounceChannel) {
    const articles = added.flatMap((a) => ctx.lib.article(a.id) ?? []);
    if (articles.length > 0) await post(ctx, client, ctx.config.feedsAnnounceChannel, renderAnnouncement(articles), "the new articles' announcement");
  }
}

/** Posts to a channel of the newsroom's servers; anywhere else (or nowhere) it is only logged. */
async function post(ctx: BotContext, client: Client, channelId: string | null, payload: MessagePayload, what: string): Promise<void> {
  if (!channelId) return;
  const channel = await client.channels.fetch(channelId).catch(() => null);
  if (!channel || channel.isDMBased() || !ctx.config.guilds.includes(channel.guildId) || !channel.isSendable()) {
    ctx.log.warn(`Did not post ${what}: channel ${channelId} is not a text channel the bot can post to in one of the newsroom's servers.`);
    return;
  }
  await channel.send(payload).catch((error: unknown) => ctx.log.warn(`Could not post ${what} to channel ${channelId}: ${(error as Error).message}`));
}
