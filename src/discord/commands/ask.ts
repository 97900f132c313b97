import { ApplicationCommandOptionType } from "discord.js";
import { MAX_QUESTION_CHARS } from "../../library.ts";
import { resolveArticle } from "../articles.ts";
import { answerOrExplain, ephemeral, logAnswer, precheck, who } from "../context.ts";
import { plain, renderAnswer } from "../render.ts";
import type { Command } from "./command.ts";
import { articleAutocomplete, articleOption, IN_GUILDS } from "./options.ts";

/** /ask question: [article:] [since:] [until:] — the bot's reason to exist: verbatim quotes with citations. */
export const ask: Command = {
  definition: {
    name: "ask",
    description: "Ask about the coverage; the answer quotes it verbatim and cites the paragraphs",
    ...IN_GUILDS,
    options: [
      { type: ApplicationCommandOptionType.String, name: "question", description: "Your question, e.g. What did Peskov say about publicity?", required: true, max_length: MAX_QUESTION_CHARS },
      articleOption("Only search this article (start typing its title)", false),
      { type: ApplicationCommandOptionType.String, name: "since", description: "Only articles published on or after this day (YYYY-MM-DD)", required: false, max_length: 10 },
      { type: ApplicationCommandOptionType.String, name: "until", description: "Only articles published on or before this day (YYYY-MM-DD)", required: false, max_length: 10 },
    ],
  },
  need: "read",
  autocomplete: articleAutocomplete,
  async execute(ctx, i) {
    const started = performance.now();
    const question = i.options.getString("question", true);
    const articleInput = i.options.getString("article");
    // Cheap checks first, answered privately; then acknowledge at once, within Discord's 3 s.
    const refused = precheck(ctx, i.user.id, question);
    if (refused) {
      ctx.log.info(`ask by ${who(ctx, i.user)} refused: ${refused.reason}`);
      await i.reply(ephemeral(plain(refused.text)));
      return;
    }
    await i.deferReply();
    let articleId: string | undefined;
    if (articleInput) {
      const found = resolveArticle(ctx.lib, articleInput);
      if (!found.ok) {
        await i.editReply(plain(found.message));
        return;
      }
      articleId = found.article.id;
    }
    // Asked in a thread opened from an answer: a follow-up of that conversation.
    const before = ctx.conversations.get(i.channelId);
    const answer = await answerOrExplain(ctx, question, { articleId, context: before, since: i.options.getString("since"), until: i.options.getString("until") });
    if (typeof answer === "string") {
      await i.editReply(plain(answer));
      return;
    }
    const receipt = ctx.lib.recordAnswer(answer, { face: "discord", guildId: i.guildId, channelId: i.channelId, memberId: i.user.id });
    const message = await i.editReply(renderAnswer(answer, receipt));
    ctx.lib.linkAnswerMessage(receipt, message.id);
    ctx.conversations.extend(i.channel?.isThread() ? [message.id, i.channelId] : [message.id], before, question, answer);
    logAnswer(ctx, `ask by ${who(ctx, i.user)}`, question, answer, started);
  },
};
