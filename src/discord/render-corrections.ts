import type { APIEmbed } from "discord.js";
import { plural } from "../common/text.ts";
import { dayOf } from "../library.ts";
import type { Correction, OutdatedAnswer } from "../library-types.ts";
import { echo, escapedTruncate, fitLines, LIMITS, NO_MENTIONS, plain, type MessagePayload } from "./render.ts";

const COLOR_CORRECTION = 0xd0453b;
/** The embed a correction note is; an edit replaces an earlier note rather than stacking them. */
export const CORRECTION_TITLE = "Correction since this answer";

const day = (iso: string | null) => (iso ? (dayOf(iso) ?? iso.slice(0, 10)) : "an unknown date");

/** The note added to a posted answer whose quoted words the coverage no longer has. */
export function correctionNote(outdated: OutdatedAnswer, titleOf: (articleId: string) => string | undefined, room: number = LIMITS.embedDescription): APIEmbed {
  const lines = outdated.notes.map((n) => {
    const title = echo(titleOf(n.nowArticleId ?? n.articleId) ?? n.title, 120);
    if (n.what === "removed") return `[${n.n}] “${echo(n.title, 120)}” was removed from the coverage on ${day(n.at)}: its quote above is no longer part of it.`;
    return (
      `[${n.n}] “${title}”, paragraph ${n.paragraph}, was corrected on ${day(n.at)}: the quoted words are no longer in it. ` +
      `Read it as it is now with \`/source\` (article “${title}”, paragraph ${n.paragraph}).`
    );
  });
  return { color: COLOR_CORRECTION, title: CORRECTION_TITLE, description: fitLines(lines, Math.max(120, room)) };
}

/** /corrections: what changed in the coverage lately, article by article. */
export function renderCorrections(corrections: Correction[], days: number): MessagePayload {
  if (corrections.length === 0) return plain(`No corrections in the last ${plural(days, "day")}: no article was replaced by a new version.`);
  const lines = corrections.map((c) => {
    const parts = [
      c.changed.length ? `reworded ¶${c.changed.map((x) => x.now).join(", ¶")}` : "",
      c.added.length ? `added ¶${c.added.map((x) => x.now).join(", ¶")}` : "",
      c.removed.length ? `removed ${plural(c.removed.length, "paragraph")}` : "",
      c.retitled ? "new headline" : "",
    ].filter(Boolean);
    const first = c.changed[0];
    const example = first ? `\n   ¶${first.now} was: “${escapedTruncate(first.before, 220)}”` : "";
    return `**${echo(c.title, 120)}** — ${day(c.at)}: ${parts.join("; ") || "details only (dates, byline)"}${example}`;
  });
  const embed: APIEmbed = {
    color: COLOR_CORRECTION,
    title: `Corrections in the last ${plural(days, "day")}: ${corrections.length}`,
    description: fitLines(lines, LIMITS.embedDescription),
    footer: { text: "/source shows staff a corrected paragraph's earlier wording. Earlier versions are kept REVISION_RETENTION_DAYS (default 30)." },
  };
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}

/** Below a paragraph for staff: how it read before its latest correction. */
export function earlierWordingField(earlier: { before: string; at: string; was: number }): { name: string; value: string } {
  return { name: `Earlier wording (until ${day(earlier.at)}, then paragraph ${earlier.was})`, value: `> ${escapedTruncate(earlier.before, LIMITS.fieldValue - 10)}` };
}
