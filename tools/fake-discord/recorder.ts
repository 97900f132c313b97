/**
 * An append-only list that tests can wait on: `waitFor(predicate)` resolves with the first item
 * matching the predicate, whether it was recorded before the call or arrives later, and rejects
 * with a readable error (listing what was recorded) after the timeout.
 */
export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<{ predicate: (item: T) => boolean; resolve: (item: T) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly label: string,
    private readonly defaultTimeoutMs = 2000,
  ) {}

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters) {
      let hit = false;
      try {
        hit = w.predicate(item);
      } catch (err) {
        this.settle(w, () => w.reject(err instanceof Error ? err : new Error(String(err))));
        continue;
      }
      if (hit) this.settle(w, () => w.resolve(item));
    }
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    let found: T | undefined;
    try {
      found = this.items.find(predicate);
    } catch (err) {
      return Promise.reject(err);
    }
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const w = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          const seen = this.items.map((i) => truncate(safeJson(i))).join("\n    ");
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a matching ${this.label}; recorded ${this.items.length}:\n    ${seen}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  cancelAll(err: Error): void {
    for (const w of this.waiters) this.settle(w, () => w.reject(err));
  }

  private settle(w: { timer: NodeJS.Timeout }, fn: () => void): void {
    clearTimeout(w.timer);
    this.waiters.delete(w as never);
    fn();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (Buffer.isBuffer(x) || (x as { type?: string })?.type === "Buffer" ? "<bytes>" : typeof x === "bigint" ? x.toString() : x));
  } catch {
    return String(v);
  }
}

const truncate = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…` : s);
