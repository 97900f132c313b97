import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { who } from "../context.ts";
import { AttachmentError, fetchAttachment } from "../fetch-attachment.ts";
import { quoteForLog } from "../log.ts";
import { plain, renderIngestSummary } from "../render.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** /ingest file: — moderators add or replace articles from an uploaded file. */
export const ingest: Command = {
  definition: {
    name: "ingest",
    description: "Moderators: add or replace articles from a file (.txt .md .html .json .jsonl)",
    ...IN_GUILDS,
    options: [{ type: ApplicationCommandOptionType.Attachment, name: "file", description: "The article file", required: true }],
  },
  need: "moderate",
  action: "add articles",
  async execute(ctx, i) {
    const { config, lib, log } = ctx;
    const att = i.options.getAttachment("file", true);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const started = performance.now();
    let file;
    try {
      file = await fetchAttachment(
        { name: att.name, url: att.url, size: att.size, contentType: att.contentType },
        { maxBytes: config.attachmentMaxBytes, timeoutMs: config.attachmentTimeoutMs, allowPrivateHosts: config.allowPrivateAttachmentHosts },
      );
    } catch (error) {
      if (!(error instanceof AttachmentError)) throw error;
      log.info(`/ingest by ${who(ctx, i.user)} of ${quoteForLog(att.name)} refused: ${error.message}`);
      await i.editReply(plain(error.message));
      return;
    }
    const summary = await ctx.work.ingest(() => lib.ingest([file]));
    const titles = new Map(lib.articles().map((a) => [a.id, a.title]));
    await i.editReply(renderIngestSummary(att.name, summary, titles));
    log.info(
      `/ingest by ${who(ctx, i.user)} of ${quoteForLog(att.name)} (${file.bytes.length} bytes) in ${Math.round(performance.now() - started)} ms: ` +
        `added ${summary.added.length} [${summary.added.join(", ")}], replaced ${summary.replaced.length}, unchanged ${summary.unchanged.length}, failed ${summary.failed.length}` +
        summary.failed.map((f) => `; ${f.where}: ${f.reason}`).join(""),
    );
  },
};
