import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { who } from "../context.ts";
import { renderCorrections } from "../render-corrections.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

const MAX_DAYS = 365;

/** /corrections [days:] — staff see which articles were corrected lately, and what changed in each. */
export const corrections: Command = {
  definition: {
    name: "corrections",
    description: "Staff: articles corrected lately (replaced by a new version), and which paragraphs changed",
    ...IN_GUILDS,
    options: [{ type: ApplicationCommandOptionType.Integer, name: "days", description: "Look back this many days (default 7)", required: false, min_value: 1, max_value: MAX_DAYS }],
  },
  need: "staff",
  action: "see the coverage's corrections",
  async execute(ctx, i) {
    const days = Math.min(Math.max(i.options.getInteger("days") ?? 7, 1), MAX_DAYS);
    const list = ctx.lib.corrections({ days, limit: 25 });
    await i.reply({ ...renderCorrections(list, days), flags: MessageFlags.Ephemeral });
    ctx.log.info(`/corrections over ${days} days read by ${who(ctx, i.user)}: ${list.length}`);
  },
};
