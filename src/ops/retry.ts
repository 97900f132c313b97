/** Retry with backoff for start-up steps that a moment can fix (Discord unreachable), giving up at once on what waiting cannot fix. */
import { setTimeout as sleep } from "node:timers/promises";

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before attempt `n + 1` after attempt `n` (1-based) failed. */
  delayMs: (attempt: number) => number;
  /** Only these failures are retried; any other is thrown at once. */
  retryable: (error: unknown) => boolean;
  onRetry: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborting ends the waiting at once: the result is then null. */
  stop?: AbortSignal;
}

/** Runs `work` until it succeeds, fails for good, runs out of attempts (the last error) or is stopped (null). */
export async function withRetry<T>(work: () => Promise<T>, o: RetryOptions): Promise<T | null> {
  for (let attempt = 1; ; attempt++) {
    if (o.stop?.aborted) return null;
    try {
      return await work();
    } catch (error) {
      if (attempt >= o.attempts || !o.retryable(error) || o.stop?.aborted) throw error;
      const wait = o.delayMs(attempt);
      o.onRetry(error, attempt, wait);
      try {
        await sleep(wait, undefined, { signal: o.stop });
      } catch {
        return null;
      }
    }
  }
}

/** Doubling from `firstMs`, capped at `maxMs`. */
export const exponential = (firstMs: number, maxMs: number) => (attempt: number) => Math.min(maxMs, firstMs * 2 ** (attempt - 1));

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EPIPE", "ECONNABORTED"]);

/**
 * A failure the network may get over by itself: refused or reset connections, DNS failures,
 * timeouts, and 5xx answers (Discord's own outages). Looks through `cause` chains, where fetch
 * puts the socket error.
 */
export function isNetworkFailure(error: unknown): boolean {
  for (let e = error as { code?: unknown; name?: unknown; status?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || e.code.startsWith("UND_ERR_"))) return true;
    if (e.name === "AbortError" || e.name === "TimeoutError" || e.name === "ConnectTimeoutError") return true;
    if (typeof e.status === "number" && e.status >= 500) return true;
  }
  return false;
}
