import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { ReceiptIdError } from "../../library.ts";
import { who } from "../context.ts";
import { echo, plain } from "../render.ts";
import { renderReceipt } from "../render-receipt.ts";
import { staffPageLink } from "../web-links.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /receipt id: — staff trace an answer: what it quoted from which paragraphs, and whether they still read the same. */
export const receipt: Command = {
  definition: {
    name: "receipt",
    description: "Staff: trace an answer by its receipt id, and check its cited paragraphs still read the same",
    ...IN_GUILDS,
    options: [{ type: ApplicationCommandOptionType.String, name: "id", description: "The receipt id under the answer, e.g. R-7K3Q9X", required: true, max_length: 40 }],
  },
  need: "staff",
  action: "read answer receipts",
  async execute(ctx, i) {
    const input = i.options.getString("id", true);
    // Comparing the cited paragraphs reads each cited article: acknowledged first, privately.
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    let found;
    try {
      found = ctx.lib.receipt(input);
    } catch (error) {
      if (!(error instanceof ReceiptIdError)) throw error;
      // The message repeats what was typed: escaped like every echo.
      await i.editReply(plain(echo(error.message, 300)));
      return;
    }
    if (!found) {
      await i.editReply(plain(`No receipt ${echo(input, 40)} is kept: no answer had that id, or it is older than the receipts' retention (RECEIPT_RETENTION_DAYS, 90 days unless set).`));
      return;
    }
    ctx.log.info(`receipt ${found.id} read by ${who(ctx, i.user)}: ${found.unchanged ? "unchanged" : "changed"}`);
    await i.editReply(renderReceipt(found, staffPageLink(ctx.lib, `/answers/${found.id}`)));
  },
};
