import type { APIEmbed } from "discord.js";
import { plural } from "../common/text.ts";
import { MAX_GAP_TOPICS } from "../library.ts";
import type { GapReport } from "../library-types.ts";
import { echo, fitLines, LIMITS, NO_MENTIONS, plain, type MessagePayload } from "./render.ts";

/** Topics /gaps shows: a list a reporter reads in one go; `npm run gaps` lists up to MAX_GAP_TOPICS. */
export const DISCORD_GAP_TOPICS = 10;
const COLOR_GAPS = 0x7d5ba6;

/**
 * The story-idea list: per topic its terms, counts, when it was last asked and an example question.
 * Terms and examples are members' words, so they are escaped and never links; lines are kept whole,
 * and what does not fit the embed is counted.
 */
export function renderGaps(report: GapReport): MessagePayload {
  const span = `the last ${plural(report.days, "day")}`;
  if (report.gaps.length === 0) {
    return plain(`Nothing unanswered in ${span}: every question was answered and none was rated not helpful (or none was asked).`);
  }
  const lines = report.gaps.slice(0, DISCORD_GAP_TOPICS).map((g, i) => {
    const last = Math.floor(Date.parse(g.lastAsked) / 1000);
    return (
      `**${i + 1}. ${echo(g.terms.join(", "), 120)}** — ${g.count} (${g.declined} declined, ${g.notHelpful} not helpful), last asked <t:${last}:R>\n` +
      `   e.g. “${echo(g.example, 200)}”`
    );
  });
  const embed: APIEmbed = {
    color: COLOR_GAPS,
    title: `What the community asked and the coverage did not answer, ${span}`,
    description: fitLines(lines, LIMITS.embedDescription),
    footer: {
      text:
        `${report.unanswered} unanswered since ${report.since.slice(0, 10)} (declined or closest-coverage questions, and answers rated not helpful), ` +
        `grouped by shared key terms${report.read < report.unanswered ? ` (the latest ${report.read})` : ""}. npm run gaps -- --days ${report.days} lists up to ${MAX_GAP_TOPICS} topics.`,
    },
  };
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}
