/**
 * SIGINT and SIGTERM turn into one orderly shutdown: `stop` aborts and `stopped` resolves, and the
 * caller drains and closes in its own order, logging each step. A second signal exits at once
 * (the operator insists; every write is a transaction, so nothing is left half-done by it).
 */
export interface Shutdown {
  /** Aborted on the first signal. */
  readonly stop: AbortSignal;
  /** Resolves with the first signal. */
  readonly stopped: Promise<NodeJS.Signals>;
  /** Removes the handlers (the process's default behaviour returns). */
  dispose(): void;
}

export function onShutdownSignals(say: { info(m: string): void; warn(m: string): void }): Shutdown {
  const controller = new AbortController();
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say.warn(`${signal} again: exiting without waiting.`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    say.info(`${signal} received: shutting down.`);
    controller.abort(signal);
    resolve(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    stop: controller.signal,
    stopped,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
