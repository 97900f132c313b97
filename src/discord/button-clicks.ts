/** The click side of buttons.ts: what a click needs (access.ts decides) and what it does. */
import type { ButtonInteraction } from "discord.js";
import type { Need } from "./access.ts";
import { resolveRef } from "./articles.ts";
import { parseCustomId, type CustomId } from "./buttons.ts";
import { confirmForget } from "./commands/forget.ts";
import { ephemeral, who, type BotContext } from "./context.ts";
import { ARTICLES_PAGE_SIZE, plain, renderArticleList, renderParagraph } from "./render.ts";

/** What a click needs: confirming a removal changes the coverage; every other button only reads. */
export function buttonNeed(parsed: CustomId | null): { need: Need; action?: string } {
  return parsed?.kind === "forget" ? { need: "moderate", action: "remove articles" } : { need: "read" };
}

/** What a click on one of the bot's buttons does: show a paragraph, turn a list page, rate an answer, confirm a removal. */
export async function onButton(ctx: BotContext, i: ButtonInteraction): Promise<void> {
  const { lib, log } = ctx;
  const parsed = parseCustomId(i.customId);
  if (!parsed) {
    await i.reply(ephemeral(plain("That button is from an older version of me; ask again to get fresh buttons.")));
    return;
  }
  if (parsed.kind === "paragraph") {
    // Exactly the article the button was made for, or none: never a guess from titles.
    const found = resolveRef(lib, parsed.ref);
    const paragraphs = found.ok ? lib.paragraph(found.article.id, parsed.paragraph, 0) : null;
    if (!found.ok || !paragraphs) {
      await i.reply(ephemeral(plain("That paragraph is no longer in the coverage (the article was removed or replaced).")));
      return;
    }
    log.debug(`paragraph shown to ${who(ctx, i.user)}: ${found.article.id} ¶${parsed.paragraph}`);
    await i.reply(ephemeral(renderParagraph(paragraphs, parsed.paragraph)));
    return;
  }
  if (parsed.kind === "forget") return confirmForget(ctx, i, parsed.ref);
  if (parsed.kind === "forget-cancel") {
    await i.update({ ...plain("Kept: nothing was removed."), components: [] });
    return;
  }
  if (parsed.kind === "articles") {
    await i.update(renderArticleList(lib.articlePage(parsed.page, ARTICLES_PAGE_SIZE)));
    return;
  }
  // The store knows the answer by the message that showed it, across restarts, until RECEIPT_RETENTION_DAYS.
  const rated = lib.rateAnswer({ messageId: i.message.id, helpful: parsed.helpful, by: i.user.id });
  if (rated === "unknown answer") {
    await i.reply(ephemeral(plain("Thanks! That answer is no longer kept (older than the newsroom keeps answers), so I couldn't store your rating.")));
    return;
  }
  if (rated === "already rated") {
    await i.reply(ephemeral(plain("You already rated this answer. Thanks!")));
    return;
  }
  log.info(`feedback by ${who(ctx, i.user)}: ${parsed.helpful ? "helpful" : "not helpful"} for the answer in message ${i.message.id}`);
  await i.reply(ephemeral(plain(parsed.helpful ? "Thanks! Noted as helpful." : "Thanks! Noted as not helpful; the newsroom reviews these.")));
}
