/**
 * The longest the event loop went without running a 10 ms timer while `work` ran: how long a
 * member's /ask would wait to be acknowledged (Discord allows 3 s) if it arrived at the worst moment.
 */
export async function longestStall<T>(work: Promise<T>): Promise<{ result: T; stallMs: number }> {
  let worst = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  };
  const timer = setInterval(tick, 10);
  try {
    const result = await work;
    // The work's last stretch ends in a resolution, not a timer: without this the stall right
    // before it (an index save, say) went unmeasured.
    tick();
    return { result, stallMs: worst };
  } finally {
    clearInterval(timer);
  }
}
