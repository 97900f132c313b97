import { ephemeral, who } from "../context.ts";
import { plain } from "../render.ts";
import { staffPageLink, WEB_LINK_HOURS } from "../web-links.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /web — a staff member gets a signed link to the verification pages, privately. */
export const web: Command = {
  definition: {
    name: "web",
    description: "Staff: a private link to the verification pages (answers, articles, search, gaps, feeds)",
    ...IN_GUILDS,
  },
  need: "staff",
  action: "open the staff web pages",
  async execute(ctx, i) {
    const link = staffPageLink(ctx.lib, "/");
    if (!link) {
      await i.reply(ephemeral(plain("The staff web pages have no public address: set WEB_PUBLIC_URL (and WEB_PORT, or run npm run web) to get links to them.")));
      return;
    }
    ctx.log.info(`web link given to ${who(ctx, i.user)}`);
    await i.reply(ephemeral(plain(`Staff pages: <${link}>\nThis link opens them for ${WEB_LINK_HOURS} hours, in the browser you open it in. Keep it to yourself: until then it shows members' questions to whoever has it.`)));
  },
};
