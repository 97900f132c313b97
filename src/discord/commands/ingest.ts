import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { AttachmentError, emptySummary, fetchAttachment, fetchPage, type InputError, type SourceFile } from "../../library.ts";
import { who } from "../context.ts";
import { followCorrections } from "../follow-corrections.ts";
import { quoteForLog } from "../log.ts";
import { plain, renderIngestSummary } from "../render.ts";
import type { Command } from "./command.ts";
import { IN_GUILDS } from "./options.ts";

/** Attachments one /ingest takes: `file`, then `file2` ... `file10`. */
export const MAX_INGEST_FILES = 10;
const fileOption = (n: number) => (n === 1 ? "file" : `file${n}`);

/** /ingest file: [url:] [file2: ...] — moderators add or replace articles from uploaded files (or a .zip of them) and article links. */
export const ingest: Command = {
  definition: {
    name: "ingest",
    description: "Moderators: add or replace articles from files (.txt .md .html .json .jsonl, .zip) or a link",
    ...IN_GUILDS,
    options: [
      { type: ApplicationCommandOptionType.Attachment as const, name: fileOption(1), description: "An article file, or a .zip of article files", required: false },
      { type: ApplicationCommandOptionType.String as const, name: "url", description: "The link of a public article page (the same link again updates it)", required: false, max_length: 2000 },
      ...Array.from({ length: MAX_INGEST_FILES - 1 }, (_, k) => ({
        type: ApplicationCommandOptionType.Attachment as const,
        name: fileOption(k + 2),
        description: "Another file",
        required: false,
      })),
    ],
  },
  need: "moderate",
  action: "add articles",
  async execute(ctx, i) {
    const { config, lib, log } = ctx;
    const attachments = Array.from({ length: MAX_INGEST_FILES }, (_, k) => i.options.getAttachment(fileOption(k + 1))).filter((a) => a !== null);
    const link = i.options.getString("url")?.trim() || null;
    if (attachments.length === 0 && !link) {
      await i.reply({ ...plain("Attach an article file (`file:`) or give an article's link (`url:`)."), flags: MessageFlags.Ephemeral });
      return;
    }
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const fetchOptions = { maxBytes: config.attachmentMaxBytes, timeoutMs: config.attachmentTimeoutMs, allowPrivateHosts: config.allowPrivateAttachmentHosts };
    const started = performance.now();
    const files: SourceFile[] = [];
    const refused: InputError[] = [];
    for (const att of attachments) {
      try {
        files.push(await fetchAttachment({ name: att.name, url: att.url, size: att.size, contentType: att.contentType }, fetchOptions));
      } catch (error) {
        if (!(error instanceof AttachmentError)) throw error;
        log.info(`/ingest by ${who(ctx, i.user)} of ${quoteForLog(att.name)} refused: ${error.message}`);
        refused.push({ where: att.name, reason: error.message });
      }
    }
    if (link) {
      try {
        files.push(await fetchPage(link, fetchOptions));
      } catch (error) {
        if (!(error instanceof AttachmentError)) throw error;
        log.info(`/ingest by ${who(ctx, i.user)} of the link ${quoteForLog(link)} refused: ${error.message}`);
        refused.push({ where: link, reason: error.message });
      }
    }
    const inputs = attachments.length + (link ? 1 : 0);
    const label = inputs === 1 ? (attachments[0]?.name ?? link!) : `${inputs} ${link ? "inputs" : "files"}`;
    if (files.length === 0 && refused.length === 1) {
      await i.editReply(plain(refused[0]!.reason));
      return;
    }
    const done = files.length ? await ctx.work.ingest(() => lib.ingest(files)) : null;
    const summary = { ...(done ?? emptySummary()), failed: [...refused, ...(done?.failed ?? [])] };
    await i.editReply(renderIngestSummary(label, summary));
    // Answers already posted that quoted what this ingest corrected get their note.
    if (summary.replacements.length > 0) await followCorrections(ctx, i.client, summary.replacements.map((r) => r.replaced.id));
    log.info(
      `/ingest by ${who(ctx, i.user)} of ${[...attachments.map((a) => a.name), ...(link ? [link] : [])].map((n) => quoteForLog(n)).join(", ")} (${files.reduce((n, f) => n + f.bytes.length, 0)} bytes) in ${Math.round(performance.now() - started)} ms: ` +
        `added ${summary.added.length} [${summary.added.join(", ")}], replaced ${summary.replaced.length}, unchanged ${summary.unchanged.length}, failed ${summary.failed.length}` +
        summary.warnings.map((w) => `; ${w}`).join("") +
        summary.failed.map((f) => `; ${f.where}: ${f.reason}`).join(""),
    );
  },
};
