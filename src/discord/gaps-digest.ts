import type { Client } from "discord.js";
import type { BotContext } from "./context.ts";
import { DISCORD_GAP_TOPICS, renderGaps } from "./render-gaps.ts";

const WEEK_MS = 7 * 86_400_000;
/** Mondays, 09:00 UTC: the digest is there when the newsroom plans its week. */
const DIGEST_DAY = 1;
const DIGEST_HOUR = 9;

/** The next digest slot strictly after `now`. */
export function nextDigestAt(now: Date): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR));
  at.setUTCDate(at.getUTCDate() + ((DIGEST_DAY - at.getUTCDay() + 7) % 7));
  return at.getTime() > now.getTime() ? at : new Date(at.getTime() + WEEK_MS);
}

export interface GapsDigest {
  readonly channelId: string;
  /** When the next digest is due. */
  nextAt(): Date;
  /** Posts the last week's gaps now; false (and a warning logged) when the channel cannot take it. */
  post(): Promise<boolean>;
  stop(): void;
}

/**
 * The weekly digest of /gaps, posted to a staff channel (GAPS_DIGEST_CHANNEL). Nothing is kept
 * about when it last ran: a bot that is down at the slot skips that week rather than risk posting
 * twice. The channel must be in one of the newsroom's servers, since the digest quotes members'
 * questions; anywhere else it is refused and logged.
 */
export function startGapsDigest(ctx: BotContext, client: Client<true>, channelId: string, track: (work: Promise<void>) => void): GapsDigest {
  let next = nextDigestAt(new Date());
  let timer: NodeJS.Timeout | undefined;
  const post = async (): Promise<boolean> => {
    const channel = await client.channels.fetch(channelId).catch(() => null);
    if (!channel || channel.isDMBased() || !ctx.config.guilds.includes(channel.guildId) || !channel.isSendable()) {
      ctx.log.warn(`Gaps digest not posted: channel ${channelId} (GAPS_DIGEST_CHANNEL) is not a text channel the bot can post to in one of the newsroom's servers.`);
      return false;
    }
    const report = await ctx.lib.gaps({ days: 7, limit: DISCORD_GAP_TOPICS });
    try {
      await channel.send(renderGaps(report));
    } catch (error) {
      // Most often the bot may not post there (Send Messages, Embed Links): the operator's to fix, next week's digest tries again.
      ctx.log.warn(`Gaps digest not posted to channel ${channelId}: ${(error as Error).message}`);
      return false;
    }
    ctx.log.info(`Gaps digest posted to channel ${channelId}: ${report.gaps.length} topics from ${report.unanswered} unanswered.`);
    return true;
  };
  const schedule = () => {
    // A week fits a Node timer (at most ~24.8 days); unref'd, so the digest never holds the process open.
    timer = setTimeout(() => {
      next = nextDigestAt(new Date());
      schedule();
      track(post().then(() => {}));
    }, next.getTime() - Date.now());
    timer.unref();
  };
  schedule();
  ctx.log.info(`Weekly gaps digest to channel ${channelId} (GAPS_DIGEST_CHANNEL): next on ${next.toISOString().slice(0, 16).replace("T", " ")} UTC.`);
  return {
    channelId,
    nextAt: () => next,
    post,
    stop: () => clearTimeout(timer),
  };
}
