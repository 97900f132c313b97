import { MAX_FILE_BYTES } from "../articles/limits.ts";
import type { SourceFile } from "../articles/types.ts";
import { AttachmentError, fetchFeed, FeedFetchError, fetchPage, type FetchAttachmentOptions } from "../ingest/fetch.ts";
import type { IngestSummary } from "../ingest/types.ts";
import type { FeedItemRow, FeedRow, FeedStore } from "../store/feed-store.ts";
import { planItems, type ItemPlan } from "./items.ts";
import { FeedFormatError, parseFeedDocument } from "./parse.ts";
import { nextPollAt, shouldReport } from "./schedule.ts";
import type { Feed, PollReport } from "./types.ts";

export interface PollContext {
  feeds: FeedStore;
  /** The library's ingest: whole articles or nothing, the same rules as an upload. */
  ingest(files: SourceFile[]): Promise<IngestSummary>;
  fetch: FetchAttachmentOptions;
  intervalMs: number;
  /** New or edited items taken per poll; the rest wait for the next polls. */
  itemsPerPoll: number;
  now(): Date;
}

/** A feed row as faces show it. */
export function feedView(feeds: FeedStore, row: FeedRow): Feed {
  const { addedBy: _by, guildId: _guild, etag: _etag, lastModified: _lm, ...shown } = row;
  return { ...shown, articles: feeds.itemCount(row.id) };
}

/**
 * Polls one feed: asks it conditionally, reads it, takes its new and edited items as articles (from
 * the feed's full text, else their pages), and records what was seen and when to come back, after
 * the articles are stored: a kill in between only means the next poll finds them unchanged.
 * Never throws for the feed's sake: every problem is in the report, and the feed is backed off.
 */
export async function pollFeed(ctx: PollContext, row: FeedRow): Promise<PollReport> {
  const started = ctx.now();
  const base = { added: [], updated: [], skipped: [], retry: [], duplicates: 0, report: false, error: null };
  let fetched;
  let parsed;
  try {
    // With items left over from the last poll the document is needed even if it has not changed.
    fetched = await fetchFeed(row.url, row.backlog > 0 ? { etag: null, lastModified: null } : row, ctx.fetch);
    if (fetched.status === 304) {
      ctx.feeds.recordPoll(row.id, [], { lastPollAt: iso(started), lastOkAt: iso(started), failures: 0, lastError: null, nextPollAt: iso(nextPollAt(started, { intervalMs: ctx.intervalMs, maxAgeS: fetched.maxAgeS, failures: 0 })) });
      return { ...base, feed: view(ctx, row.id), outcome: "not-modified" };
    }
    parsed = await parseFeedDocument(fetched.bytes, fetched.finalUrl);
  } catch (error) {
    if (!(error instanceof AttachmentError || error instanceof FeedFormatError)) throw error;
    const failures = row.failures + 1;
    const retryAfterS = error instanceof FeedFetchError ? error.retryAfterS : null;
    ctx.feeds.recordPoll(row.id, [], { lastPollAt: iso(started), failures, lastError: error.message, nextPollAt: iso(nextPollAt(started, { intervalMs: ctx.intervalMs, retryAfterS, failures })) });
    return { ...base, feed: view(ctx, row.id), outcome: "failed", error: error.message, report: shouldReport(failures, ctx.intervalMs) };
  }

  const { items, duplicates } = planItems(parsed, fetched.finalUrl);
  const seen = ctx.feeds.seen(row.id, items.map((i) => i.key));
  const fresh = items.filter((i) => seen.get(i.key)?.fingerprint !== i.fingerprint);
  const taken = fresh.slice(0, ctx.itemsPerPoll);
  const report: PollReport = { ...base, feed: feedView(ctx.feeds, row), outcome: "nothing new", duplicates };
  const { records, byOrigin } = await gather(ctx, taken, report);
  const summary = byOrigin.size > 0 ? await ctx.ingest([...byOrigin.keys()].map((o) => byOrigin.get(o)!.source)) : null;
  if (summary) settle(summary, byOrigin, records, report);
  ctx.feeds.recordPoll(row.id, records.map((r) => ({ ...r, at: iso(started) })), {
    title: parsed.title?.trim().slice(0, 200) || null,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    lastPollAt: iso(started),
    lastOkAt: iso(started),
    failures: 0,
    lastError: null,
    backlog: fresh.length - taken.length,
    nextPollAt: iso(nextPollAt(started, { intervalMs: ctx.intervalMs, ttlMinutes: parsed.ttlMinutes, maxAgeS: fetched.maxAgeS, failures: 0 })),
  });
  report.feed = view(ctx, row.id);
  if (report.added.length + report.updated.length > 0) report.outcome = "new";
  return report;
}

/** Each taken item as a source to ingest (fetching pages), or as recorded for good with its problem. */
async function gather(ctx: PollContext, taken: ItemPlan[], report: PollReport): Promise<{ records: FeedItemRow[]; byOrigin: Map<string, { source: SourceFile; items: ItemPlan[] }> }> {
  const records: FeedItemRow[] = [];
  const byOrigin = new Map<string, { source: SourceFile; items: ItemPlan[] }>();
  const add = (source: SourceFile, item: ItemPlan) => {
    const entry = byOrigin.get(source.name);
    if (entry) entry.items.push(item);
    else byOrigin.set(source.name, { source, items: [item] });
  };
  for (const item of taken) {
    if ("problem" in item.take) {
      records.push({ key: item.key, fingerprint: item.fingerprint, articleId: null, problem: item.take.problem });
      report.skipped.push({ item: item.label, reason: item.take.problem });
    } else if ("source" in item.take) {
      add(item.take.source, item);
    } else {
      try {
        add(await fetchPage(item.take.link, { ...ctx.fetch, maxBytes: Math.min(ctx.fetch.maxBytes, MAX_FILE_BYTES) }), item);
      } catch (error) {
        if (!(error instanceof AttachmentError)) throw error;
        // A page that is gone stays gone; a slow or failing server is asked again next poll.
        if (/HTTP (404|410)\b/.test(error.message)) {
          if (item.take.fallback) {
            add(item.take.fallback, item);
            continue;
          }
          const problem = "its page is gone (HTTP 404/410), and the feed gives no text of its own";
          records.push({ key: item.key, fingerprint: item.fingerprint, articleId: null, problem });
          report.skipped.push({ item: item.label, reason: problem });
        } else report.retry.push({ item: item.label, reason: error.message });
      }
    }
  }
  return { records, byOrigin };
}

/** What the ingest made of each item: its article (added, updated, unchanged), or why it is not one. */
function settle(summary: IngestSummary, byOrigin: Map<string, { items: ItemPlan[] }>, records: FeedItemRow[], report: PollReport): void {
  const idsByOrigin = new Map<string, string>();
  for (const [id, origin] of Object.entries(summary.origins)) idsByOrigin.set(origin, id);
  for (const [origin, { items }] of byOrigin) {
    const id = idsByOrigin.get(origin);
    if (id) {
      for (const item of items) records.push({ key: item.key, fingerprint: item.fingerprint, articleId: id, problem: null });
      const shown = { id, title: summary.titles[id] ?? items[0]!.label };
      if (summary.added.includes(id)) report.added.push(shown);
      else if (summary.replaced.includes(id)) report.updated.push(shown);
      continue;
    }
    const failure = summary.failed.find((f) => f.where === origin || f.where.startsWith(`${origin} `) || f.where.startsWith(`${origin}:`));
    const reason = failure?.reason ?? "did not become an article";
    for (const item of items) {
      // A refusal for being stopped, or the disk, is not the item's fault: asked again next poll.
      if (/was not stored/.test(reason)) report.retry.push({ item: item.label, reason });
      else {
        records.push({ key: item.key, fingerprint: item.fingerprint, articleId: null, problem: reason });
        report.skipped.push({ item: item.label, reason });
      }
    }
  }
}

function view(ctx: PollContext, id: number): Feed {
  return feedView(ctx.feeds, ctx.feeds.get(id)!);
}

const iso = (d: Date) => d.toISOString();
