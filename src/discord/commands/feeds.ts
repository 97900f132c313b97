import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { FeedError } from "../../library.ts";
import { who } from "../context.ts";
import { quoteForLog } from "../log.ts";
import { echo, plain, unlink } from "../render.ts";
import { renderFeedAdded, renderFeedList } from "../render-feeds.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /feeds add url: | list | remove feed: — moderators choose the RSS / Atom feeds the coverage follows by itself. */
export const feeds: Command = {
  definition: {
    name: "feeds",
    description: "Moderators: the RSS / Atom feeds whose new and corrected articles join the coverage by themselves",
    ...IN_GUILDS,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "add",
        description: "Follow a feed (its failures are reported in this channel)",
        options: [{ type: ApplicationCommandOptionType.String, name: "url", description: "The feed's address (RSS or Atom), starting with https://", required: true, max_length: 2000 }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "The feeds followed, how each is doing, and when each is polled next" },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "remove",
        description: "Stop following a feed (the articles it brought stay)",
        options: [{ type: ApplicationCommandOptionType.Integer, name: "feed", description: "The feed's number, as /feeds list shows it", required: true, min_value: 1 }],
      },
    ],
  },
  need: "moderate",
  action: "change the feeds the coverage follows",
  async execute(ctx, i) {
    const sub = i.options.getSubcommand(true);
    if (sub === "list") {
      await i.reply({ ...renderFeedList(ctx.lib.feeds.list()), flags: MessageFlags.Ephemeral });
      return;
    }
    if (sub === "remove") {
      const id = i.options.getInteger("feed", true);
      const feed = ctx.lib.feeds.find(String(id));
      const removed = feed ? await ctx.work.ingest(async () => ctx.lib.feeds.remove(id)) : false;
      await i.reply({
        ...plain(removed ? `Stopped following ${echo(feed!.title ?? feed!.url, 150)} (#${id}). The ${feed!.articles} article(s) it brought stay in the coverage; remove one with /forget.` : `There is no feed #${id}; /feeds list shows their numbers.`),
        flags: MessageFlags.Ephemeral,
      });
      if (removed) ctx.log.info(`/feeds remove by ${who(ctx, i.user)}: #${id} ${feed!.url}`);
      return;
    }
    const url = i.options.getString("url", true);
    // Reading the feed and its first articles takes longer than Discord's 3 s.
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const added = await ctx.work.ingest(() => ctx.lib.feeds.add(url, { by: ctx.lib.memberHash(i.user.id), guildId: i.guildId, channelId: i.channelId }));
      await i.editReply(renderFeedAdded(added.feed, added.existed, added.first, ctx.lib.feeds.intervalMs));
      ctx.log.info(`/feeds add by ${who(ctx, i.user)}: ${quoteForLog(url)} -> #${added.feed.id}${added.existed ? " (already followed)" : `, ${added.first?.added.length ?? 0} article(s) added`}`);
    } catch (error) {
      if (!(error instanceof FeedError)) throw error;
      // The core's message may name addresses (the feeds a page advertises): shown, not linked.
      await i.editReply(plain(unlink(error.message)));
      ctx.log.info(`/feeds add by ${who(ctx, i.user)} of ${quoteForLog(url)} refused: ${error.message}`);
    }
  },
};
