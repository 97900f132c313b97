import pLimit from "p-limit";

/**
 * How the bot's work shares one thread. Answering is CPU work on this thread: started all at once,
 * a burst of questions runs back to back without letting the loop read the gateway or send the
 * deferrals of newer questions, which then miss Discord's 3 s deadline (150 at once left 26 members
 * with no reply at all); and everyone waits for the whole burst. So answers run a few at a time,
 * each from a fresh event-loop turn (a few keep remote embedding providers, network-bound, busy
 * enough), and ingests one at a time, answers going on meanwhile.
 */
export const ANSWERS_AT_ONCE = 4;

export interface WorkQueues {
  answer<T>(work: () => Promise<T>): Promise<T>;
  ingest<T>(work: () => Promise<T>): Promise<T>;
}

export function workQueues(): WorkQueues {
  const answers = pLimit(ANSWERS_AT_ONCE);
  const ingests = pLimit(1);
  return {
    answer: (work) =>
      answers(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return work();
      }),
    ingest: (work) => ingests(work),
  };
}
