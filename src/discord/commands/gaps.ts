import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { DEFAULT_GAP_DAYS, MAX_GAP_DAYS } from "../../library.ts";
import { who } from "../context.ts";
import { plain } from "../render.ts";
import { DISCORD_GAP_TOPICS, renderGaps } from "../render-gaps.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /gaps [days:] — staff read what the community asked that the coverage did not answer: the story-idea list. */
export const gaps: Command = {
  definition: {
    name: "gaps",
    description: "Staff: the most asked topics the coverage did not answer (declined, closest only, rated not helpful)",
    ...IN_GUILDS,
    options: [
      { type: ApplicationCommandOptionType.Integer, name: "days", description: `Look back this many days (default ${DEFAULT_GAP_DAYS})`, required: false, min_value: 1, max_value: MAX_GAP_DAYS },
    ],
  },
  need: "staff",
  action: "see what the community asked and the coverage did not answer",
  async execute(ctx, i) {
    // Grouping reads every unanswered question of the period: acknowledged first, privately.
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const days = i.options.getInteger("days") ?? DEFAULT_GAP_DAYS;
    // Discord enforces the option's range in its client; a request made around it still gets a reason.
    if (days < 1 || days > MAX_GAP_DAYS) {
      await i.editReply(plain(`days: a whole number from 1 to ${MAX_GAP_DAYS}.`));
      return;
    }
    const report = await ctx.lib.gaps({ days, limit: DISCORD_GAP_TOPICS });
    ctx.log.info(`gaps over ${days} days read by ${who(ctx, i.user)}: ${report.gaps.length} topics from ${report.unanswered} unanswered`);
    await i.editReply(renderGaps(report));
  },
};
