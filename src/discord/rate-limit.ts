/**
 * A per-user sliding-window limit on questions: at most `count` in any `windowMs`. Memory stays
 * bounded: users idle for a whole window are dropped on the next sweep.
 */
import { plural } from "../common/text.ts";

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly count: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a question when allowed; otherwise says how long until the next one is. */
  take(userId: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const t = this.now();
    this.sweep(t);
    const recent = (this.hits.get(userId) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.count) {
      this.hits.set(userId, recent);
      return { ok: false, retryAfterMs: recent[0]! + this.windowMs - t };
    }
    recent.push(t);
    this.hits.set(userId, recent);
    return { ok: true };
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < this.windowMs) return;
    this.lastSweep = t;
    for (const [user, times] of this.hits) if (times.every((at) => t - at >= this.windowMs)) this.hits.delete(user);
  }
}

/** What a member sees when asking too fast. */
export function rateLimitMessage(retryAfterMs: number, limit: { count: number; windowMs: number }): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const window = limit.windowMs % 60_000 === 0 ? `${limit.windowMs / 60_000} minute${limit.windowMs === 60_000 ? "" : "s"}` : `${Math.round(limit.windowMs / 1000)} seconds`;
  return `You're asking faster than I can keep up with (up to ${plural(limit.count, "question")} per ${window}). Please try again in ${plural(seconds, "second")}.`;
}
