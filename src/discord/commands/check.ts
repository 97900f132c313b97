import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { checkClaimText, MAX_CLAIM_CHARS, QuestionError } from "../../library.ts";
import { ephemeral, who } from "../context.ts";
import { quoteForLog } from "../log.ts";
import { plain } from "../render.ts";
import { renderClaimCheck } from "../render-check.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /check claim: — staff check a statement against the coverage, privately. */
export const check: Command = {
  definition: {
    name: "check",
    description: "Staff: check a claim against the coverage (supported, partly, contradicted, not covered)",
    ...IN_GUILDS,
    options: [{ type: ApplicationCommandOptionType.String, name: "claim", description: "One statement, e.g. The leaked U.S. draft had 30 points", required: true, max_length: MAX_CLAIM_CHARS }],
  },
  need: "staff",
  action: "check claims",
  async execute(ctx, i) {
    const started = performance.now();
    const claim = i.options.getString("claim", true);
    try {
      checkClaimText(claim);
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error;
      await i.reply(ephemeral(plain(error.message)));
      return;
    }
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const checked = await ctx.work.answer(() => ctx.lib.check(claim));
    await i.editReply(renderClaimCheck(checked));
    const facts = checked.facts.map((f) => `${quoteForLog(f.text, 40)}=${f.status}`).join(", ");
    ctx.log.info(`/check by ${who(ctx, i.user)}: ${quoteForLog(claim)} -> ${checked.verdict} (${facts || "no facts"}) in ${Math.round(performance.now() - started)} ms`);
  },
};
