import type { APIEmbed, APIEmbedField } from "discord.js";
import { oneLine } from "../common/text.ts";
import { describeOrigin, describeToday } from "../library.ts";
import type { Receipt } from "../library-types.ts";
import { echo, escapedTruncate, NO_MENTIONS, type MessagePayload } from "./render.ts";

const COLOR_SAME = 0x3c8d5a;
const COLOR_CHANGED = 0xc0392b;
/** Citations listed one field each; an answer cites a handful, and the rest are counted. */
const MAX_CITATION_FIELDS = 8;
/**
 * Room for the quoted words. The budget that keeps the embed under Discord's 6,000 characters:
 * description at most ~2,300 (question 400, four short lines, quotes 1,500), and 9 fields of at
 * most ~360 (name 125, value ~235).
 */
const QUOTES_ROOM = 1500;

/**
 * A receipt as staff read it in Discord: what was asked and answered, when and where, and per cited
 * paragraph whether it still reads the same, the changed ones marked. The question is a member's
 * words and the titles and quotes stored text, so all of it is escaped and never a link; the one
 * link is the answer's web page (`page`, signed by the bot), when the pages have an address.
 */
export function renderReceipt(r: Receipt, page: string | null = null): MessagePayload {
  const when = Math.floor(Date.parse(r.at) / 1000);
  const lines = [
    `**Asked:** ${echo(r.question, 400)}`,
    `**Answer:** ${r.status} (confidence ${r.confidence.toFixed(2)}), ${r.method} retrieval, store generation ${r.generation}`,
    `**When:** <t:${when}:f> (${r.at})`,
    `**Where:** ${describeOrigin(r)}${r.member ? `, member ${r.member}` : ""}`,
  ];
  const quotes = r.answer.quotes;
  if (quotes.length) {
    const each = Math.floor(QUOTES_ROOM / quotes.length) - 10;
    lines.push(`**Quoted:**`, ...quotes.map((q) => `> ${escapedTruncate(oneLine(q.text), each)} **[${q.citation}]**`));
  }
  const shown = r.citations.slice(0, MAX_CITATION_FIELDS);
  const fields: APIEmbedField[] = shown.map((c) => {
    const changed = c.today === "changed" || c.today === "gone";
    return {
      name: `[${c.n}] ${escapedTruncate(oneLine(c.title) || c.articleId, 120)}`,
      value: `${changed ? "⚠️ **" : ""}Paragraph ${c.paragraph} ${describeToday(c)}${changed ? "**" : ""}\n${escapedTruncate(c.articleId, 120)} · text ${c.hash.slice(0, 12)}`,
    };
  });
  if (shown.length < r.citations.length) fields.push({ name: "More citations", value: `${r.citations.length - shown.length} more not listed here; npm run receipt -- ${r.id} shows them all.` });
  const verdict = r.citations.length === 0 ? "Nothing was cited." : r.unchanged ? "Every cited paragraph reads as it did." : "Some cited paragraphs changed since this answer was given.";
  const embed: APIEmbed = {
    color: r.unchanged ? COLOR_SAME : COLOR_CHANGED,
    title: `Receipt ${r.id}`,
    ...(page ? { url: page } : {}),
    description: lines.join("\n"),
    fields,
    footer: { text: `${r.status === "answered" ? "Cited paragraphs" : "Closest coverage named"} · ${verdict}` },
  };
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}
