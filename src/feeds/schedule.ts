/** When a feed may be asked again: never sooner than the schedule or than the feed itself asks, later after failures. */

/** Moderators hear of a failing feed at its third failure in a row (one bad poll is usually the network), then daily. */
export const REPORT_AFTER_FAILURES = 3;
/** A failing feed is asked at most this rarely: it comes back by itself the day it is fixed. */
export const MAX_BACKOFF_MS = 24 * 3_600_000;

export interface ScheduleHints {
  /** The configured poll interval. */
  intervalMs: number;
  /** RSS <ttl>, minutes. */
  ttlMinutes?: number | null;
  /** Cache-Control max-age, seconds. */
  maxAgeS?: number | null;
  /** Retry-After, seconds. */
  retryAfterS?: number | null;
  /** Failed polls in a row, counting this one (0 after a good poll). */
  failures: number;
}

export function nextPollAt(now: Date, hints: ScheduleHints): Date {
  const asked = Math.max(hints.intervalMs, (hints.ttlMinutes ?? 0) * 60_000, (hints.maxAgeS ?? 0) * 1000);
  // Doubling from the interval: 15 min, 30, 1 h, 2 h ... a day.
  const backoff = hints.failures > 0 ? hints.intervalMs * 2 ** (hints.failures - 1) : 0;
  const wait = Math.max(Math.min(Math.max(asked, backoff), MAX_BACKOFF_MS), (hints.retryAfterS ?? 0) * 1000);
  return new Date(now.getTime() + wait);
}

/** Whether this failure is one moderators should hear of: the third in a row, then about once a day at the longest back-off. */
export function shouldReport(failures: number, intervalMs: number): boolean {
  if (failures === REPORT_AFTER_FAILURES) return true;
  if (failures < REPORT_AFTER_FAILURES) return false;
  // Past the cap every poll is a day apart, so each failure there is the daily reminder.
  const stepsToCap = Math.ceil(Math.log2(MAX_BACKOFF_MS / intervalMs)) + 1;
  return failures > stepsToCap;
}
