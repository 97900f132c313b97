import { ApplicationCommandOptionType } from "discord.js";
import { resolveArticle } from "../articles.ts";
import { decide, requesterOf } from "../access.ts";
import { ephemeral } from "../context.ts";
import { earlierWordingField } from "../render-corrections.ts";
import { echo, plain, renderParagraph } from "../render.ts";
import type { Command } from "./command.ts";
import { articleAutocomplete, articleOption, IN_GUILDS } from "./options.ts";
import { plural } from "../../common/text.ts";

/** /source article: paragraph: [context:] — read a cited paragraph in full, with its neighbours. */
export const source: Command = {
  definition: {
    name: "source",
    description: "Show a paragraph of an article in full, with its neighbours",
    ...IN_GUILDS,
    options: [
      articleOption("The article (start typing its title)", true),
      { type: ApplicationCommandOptionType.Integer, name: "paragraph", description: "Paragraph number, as cited ([1] ... paragraph 9)", required: true, min_value: 1 },
      { type: ApplicationCommandOptionType.Integer, name: "context", description: "Neighbouring paragraphs to show on each side (default 1)", required: false, min_value: 0, max_value: 3 },
    ],
  },
  need: "read",
  autocomplete: articleAutocomplete,
  async execute(ctx, i) {
    const found = resolveArticle(ctx.lib, i.options.getString("article", true));
    if (!found.ok) {
      await i.reply(ephemeral(plain(found.message)));
      return;
    }
    const n = i.options.getInteger("paragraph", true);
    const context = i.options.getInteger("context") ?? 1;
    const paragraphs = ctx.lib.paragraph(found.article.id, n, context);
    if (!paragraphs) {
      const count = found.article.paragraphs;
      await i.reply(ephemeral(plain(`"${echo(found.article.title)}" has ${plural(count, "paragraph")}; pick a number from 1 to ${count}.`)));
      return;
    }
    const payload = renderParagraph(paragraphs, n);
    // Staff checking a correction see what the paragraph said before it; members see the coverage as it stands.
    const earlier = decide(ctx.config, requesterOf(i), "staff").ok ? ctx.lib.earlierWording(found.article.id, n) : null;
    if (earlier && payload.embeds?.[0]) payload.embeds[0] = { ...payload.embeds[0], fields: [earlierWordingField(earlier)] };
    await i.reply(ephemeral(payload));
  },
};
