import { ApplicationCommandOptionType } from "discord.js";
import { ephemeral } from "../context.ts";
import { ARTICLES_PAGE_SIZE, renderArticleList } from "../render.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /articles [page:] — what the coverage holds, newest first by publication date (undated last), ten a page. */
export const articles: Command = {
  definition: {
    name: "articles",
    description: "List the coverage, newest first (undated articles last)",
    ...IN_GUILDS,
    options: [{ type: ApplicationCommandOptionType.Integer, name: "page", description: "Page number (10 articles a page)", required: false, min_value: 1 }],
  },
  need: "read",
  async execute(ctx, i) {
    await i.reply(ephemeral(renderArticleList(ctx.lib.articlePage(i.options.getInteger("page") ?? 1, ARTICLES_PAGE_SIZE))));
  },
};
