import { MessageFlags, type ButtonInteraction } from "discord.js";
import { resolveArticle, resolveRef } from "../articles.ts";
import { who, type BotContext } from "../context.ts";
import { followCorrections } from "../follow-corrections.ts";
import { quoteForLog } from "../log.ts";
import { echo, plain, renderForgetConfirmation } from "../render.ts";
import type { Command } from "./command.ts";
import { articleAutocomplete, articleOption, IN_GUILDS } from "./options.ts";

/** /forget article: — moderators remove an article from the coverage. */
export const forget: Command = {
  definition: {
    name: "forget",
    description: "Moderators: remove an article from the coverage",
    ...IN_GUILDS,
    options: [articleOption("The article to remove (start typing its title)", true)],
  },
  need: "moderate",
  action: "remove articles",
  autocomplete: articleAutocomplete,
  async execute(ctx, i) {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const found = resolveArticle(ctx.lib, i.options.getString("article", true));
    if (!found.ok) {
      await i.editReply(plain(found.message));
      return;
    }
    await i.editReply(renderForgetConfirmation(found.article));
  },
};

/** The "Remove it" button under the confirmation (access.ts has checked the clicker moderates). */
export async function confirmForget(ctx: BotContext, i: ButtonInteraction, ref: string): Promise<void> {
  const found = resolveRef(ctx.lib, ref);
  if (!found.ok) {
    await i.update({ ...plain("That article is no longer in the coverage; nothing was removed."), components: [] });
    return;
  }
  const removed = await ctx.work.ingest(() => ctx.lib.forget(found.article.id));
  const title = echo(found.article.title, 200);
  await i.update({ ...plain(removed ? `Removed "${title}" from the coverage; it will not be quoted any more.` : `"${title}" was already removed.`), components: [] });
  ctx.log.info(`/forget by ${who(ctx, i.user)}: ${quoteForLog(found.article.title)} (${found.article.id}) ${removed ? "removed" : "was already gone"}`);
  if (removed) await followCorrections(ctx, i.client, [found.article.id]);
}
