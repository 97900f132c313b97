import { Worker } from "node:worker_threads";

type Job = { id: number; texts: string[]; resolve: (v: number[][]) => void; reject: (e: Error) => void };
type Reply = { id: number; dim: number; flat: Float32Array } | { id: number; error: string };

/**
 * A fixed set of embedding workers fed from one queue. Each worker takes one batch at a time, so a
 * slow batch never holds up the others and both cores stay busy.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private closed = false;

  constructor(size: number) {
    const url = new URL("./embed-worker.mjs", import.meta.url);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url);
      worker.on("message", (reply: Reply) => this.finish(worker, reply));
      worker.on("error", (error) => this.fail(worker, error));
      worker.unref();
      this.idle.push(worker);
    }
  }

  embed(texts: string[]): Promise<number[][]> {
    if (this.closed) return Promise.reject(new Error("The embedding workers are closed."));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.running.keys()];
    for (const job of this.queue.splice(0)) job.reject(new Error("The embedding workers were closed."));
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.ref();
      worker.postMessage({ id: job.id, texts: job.texts });
    }
  }

  private finish(worker: Worker, reply: Reply): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (job) {
      if ("error" in reply) job.reject(new Error(`Embedding failed: ${reply.error}`));
      else {
        const out: number[][] = [];
        for (let i = 0; i < job.texts.length; i++) out.push(Array.from(reply.flat.subarray(i * reply.dim, (i + 1) * reply.dim)));
        job.resolve(out);
      }
    }
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    job?.reject(new Error(`An embedding worker crashed: ${error.message}`));
    // A crashed worker is not replaced: the remaining ones (or the caller's fallback) carry on.
    if (this.idle.length === 0 && this.running.size === 0) {
      for (const queued of this.queue.splice(0)) queued.reject(new Error("Every embedding worker crashed."));
    } else this.dispatch();
  }
}
