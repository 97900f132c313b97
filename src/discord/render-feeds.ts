import type { APIEmbed } from "discord.js";
import { plural } from "../common/text.ts";
import { dayOf } from "../library.ts";
import type { ArticleSummary, Feed, PollReport } from "../library-types.ts";
import { echo, fitLines, LIMITS, NO_MENTIONS, plain, type MessagePayload } from "./render.ts";

const COLOR_FEEDS = 0x2e8b57;

/** Feed addresses and titles come from moderators and from feeds: echoed, never links. */
const named = (feed: Pick<Feed, "title" | "url">) => (feed.title ? `**${echo(feed.title, 80)}** (${echo(feed.url, 150)})` : echo(feed.url, 150));

/** "<t:…:R>": Discord shows the time in each reader's own zone. */
const when = (iso: string | null) => (iso ? `<t:${Math.floor(Date.parse(iso) / 1000)}:R>` : "never");

/** What a poll brought, in a sentence per kind (for /feeds add and the CLI alike in spirit). */
function pollLines(report: PollReport): string[] {
  const lines: string[] = [];
  const titles = (list: { title: string }[]) => list.slice(0, 5).map((a) => `“${echo(a.title, 80)}”`).join(", ") + (list.length > 5 ? `, and ${list.length - 5} more` : "");
  if (report.added.length) lines.push(`Added ${plural(report.added.length, "article")}: ${titles(report.added)}.`);
  if (report.updated.length) lines.push(`Updated ${plural(report.updated.length, "article")} (the feed corrected them): ${titles(report.updated)}.`);
  if (report.skipped.length) lines.push(`Skipped ${plural(report.skipped.length, "item")}: ${report.skipped.slice(0, 3).map((s) => `“${echo(s.item, 60)}” ${echo(s.reason, 160)}`).join("; ")}${report.skipped.length > 3 ? "; …" : ""}.`);
  if (report.retry.length) lines.push(`${plural(report.retry.length, "item")} could not be fetched this time and will be tried again on the next poll (${echo(report.retry[0]!.reason, 160)}).`);
  if (report.duplicates) lines.push(`${plural(report.duplicates, "item")} repeated an id already in the feed and ${report.duplicates === 1 ? "was" : "were"} taken once.`);
  if (report.feed.backlog) lines.push(`${plural(report.feed.backlog, "more item")} wait${report.feed.backlog === 1 ? "s" : ""} for the next polls (a poll takes a limited number).`);
  if (lines.length === 0) lines.push("Nothing new in it yet.");
  return lines;
}

export function renderFeedAdded(feed: Feed, existed: boolean, first: PollReport | null, intervalMs: number): MessagePayload {
  if (existed) return plain(`Already following ${named(feed)} as feed #${feed.id}: ${plural(feed.articles, "article")} so far, next poll ${when(feed.nextPollAt)}.`);
  const every = intervalMs >= 60_000 ? `every ${plural(Math.round(intervalMs / 60_000), "minute")}` : `every ${Math.round(intervalMs / 1000)} s`;
  return plain(
    [`Following ${named(feed)} as feed #${feed.id}. I check it ${every} (less often if the feed asks), and take new and corrected articles by myself.`, ...(first ? pollLines(first) : []), `Next poll ${when(feed.nextPollAt)}.`].join("\n"),
  );
}

export function renderFeedList(feeds: Feed[]): MessagePayload {
  if (feeds.length === 0) return plain("No feeds are followed. A moderator adds one with `/feeds add url:`.");
  const lines = feeds.map((f) => {
    const health = f.failures > 0 ? `⚠️ ${plural(f.failures, "failed poll")} in a row: ${echo(f.lastError ?? "", 200)}` : `last read ${when(f.lastOkAt)}`;
    return `**#${f.id}** ${named(f)}\n${plural(f.articles, "article")} · ${health} · next poll ${when(f.nextPollAt)}${f.backlog ? ` · ${f.backlog} items waiting` : ""}`;
  });
  const embed: APIEmbed = { color: COLOR_FEEDS, title: `Followed feeds: ${feeds.length}`, description: fitLines(lines, LIMITS.embedDescription), footer: { text: "Remove one with /feeds remove feed:<number>. The articles a feed brought stay in the coverage." } };
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}

/** For moderators: a feed that keeps failing, and what happens next. */
export function renderFeedProblem(report: PollReport): MessagePayload {
  const f = report.feed;
  return plain(
    `⚠️ The feed ${named(f)} (#${f.id}) has failed ${plural(f.failures, "time")} in a row: ${echo(report.error ?? "", 400)}\n` +
      `Nothing already in the coverage is affected. I'll keep trying, less often (next ${when(f.nextPollAt)}). If the feed has moved or closed, stop following it with \`/feeds remove feed:${f.id}\`.`,
  );
}

/** For members: what the feeds just brought in. */
export function renderAnnouncement(articles: ArticleSummary[]): MessagePayload {
  const lines = articles.map((a) => `• **${echo(a.title, 150)}**${a.outlet ? ` — ${echo(a.outlet, 60)}` : ""}${a.published ? `, ${dayOf(a.published) ?? ""}` : ""}`);
  return plain(`New in the coverage (ask me about ${articles.length === 1 ? "it" : "them"} with /ask):\n${fitLines(lines, LIMITS.content - 80)}`);
}
