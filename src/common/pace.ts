/**
 * Long synchronous work on the serving thread (parsing a 100k-record upload, planning it, writing
 * chunks whose vectors all came from the cache) never waits on a worker, so without this it never
 * lets the event loop run: a 7.7 MiB JSONL froze the bot for 2.3 s, and members' /ask missed
 * Discord's 3-second acknowledgement. A pacer hands the loop back once `budgetMs` of work has run.
 */
export function pacer(budgetMs = 25): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
