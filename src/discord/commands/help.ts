import { ephemeral } from "../context.ts";
import { HELP_TEXT, plain } from "../render.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /help — what the bot does and how to use it. */
export const help: Command = {
  definition: { name: "help", description: "What this bot does and how to use it", ...IN_GUILDS },
  need: "read",
  async execute(_ctx, i) {
    await i.reply(ephemeral(plain(HELP_TEXT)));
  },
};
