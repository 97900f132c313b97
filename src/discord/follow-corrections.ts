import { embedLength, type Client } from "discord.js";
import type { BotContext } from "./context.ts";
import { correctionNote, CORRECTION_TITLE } from "./render-corrections.ts";
import { LIMITS } from "./render.ts";

/**
 * After articles changed (corrected by a new version, or removed), edits every answer the bot
 * posted that quoted words they no longer have, adding a correction note under it: a member who
 * scrolls back must not take yesterday's quote for what the newsroom stands behind today. The
 * quotes themselves are left as they were posted, so the note says what they were. Never throws:
 * a message deleted since, or a channel the bot lost, is logged and skipped.
 */
export async function followCorrections(ctx: BotContext, client: Client, articleIds: string[]): Promise<number> {
  const outdated = ctx.lib.outdatedAnswers([...new Set(articleIds)]);
  let edited = 0;
  for (const answer of outdated) {
    try {
      const channel = await client.channels.fetch(answer.channelId);
      if (!channel?.isTextBased()) continue;
      const message = await channel.messages.fetch(answer.messageId);
      const kept = message.embeds.map((e) => e.toJSON()).filter((e) => e.title !== CORRECTION_TITLE);
      const embeds = kept.slice(0, LIMITS.embeds - 1);
      // Within the 6,000 characters a message's embeds share: the note gets what the answer left.
      const room = LIMITS.embedsTotal - embeds.reduce((n, e) => n + embedLength(e), 0) - CORRECTION_TITLE.length;
      const note = correctionNote(answer, (id) => ctx.lib.article(id)?.title, Math.min(LIMITS.embedDescription, room));
      await message.edit({ embeds: [...embeds, note], allowedMentions: { parse: [] } });
      edited++;
    } catch (error) {
      ctx.log.warn(`Could not add the correction note to answer ${answer.receiptId} (message ${answer.messageId} in channel ${answer.channelId}): ${(error as Error).message}`);
    }
  }
  if (edited > 0) ctx.log.info(`Correction notes added to ${edited} posted answer(s) quoting ${articleIds.join(", ")}.`);
  return edited;
}
