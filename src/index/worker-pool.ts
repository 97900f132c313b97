import { Worker } from "node:worker_threads";

type Job = { id: number; texts: string[]; retried: boolean; resolve: (v: number[][]) => void; reject: (e: Error) => void };
type Reply = { id: number; dim: number; flat: Float32Array } | { id: number; error: string };

const WORKER_URL = new URL("./embed-worker.mjs", import.meta.url);

/**
 * A fixed set of embedding workers fed from one queue. Each worker takes one batch at a time, so a
 * slow batch never holds up the others and both cores stay busy. A worker that fails (its WASM
 * backend can fail to start on a machine under memory pressure) is replaced by a fresh one and its
 * batch tried once more, so one bad start does not fail a whole ingest.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL);
    worker.on("message", (reply: Reply) => this.finish(worker, reply));
    worker.on("error", (error) => this.finish(worker, { id: -1, error: `the worker crashed: ${error.message}` }));
    worker.unref();
    return worker;
  }

  embed(texts: string[]): Promise<number[][]> {
    if (this.closed) return Promise.reject(new Error("The embedding workers are closed."));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, retried: false, resolve, reject });
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
    if ("error" in reply) {
      // A worker can also fail while idle (during start-up): it must not be handed another batch.
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      void worker.terminate();
      if (!this.closed) this.idle.push(this.spawn());
      if (job && !job.retried) {
        job.retried = true;
        this.queue.unshift(job);
      } else job?.reject(new Error(`Embedding failed: ${reply.error}`));
    } else {
      worker.unref();
      this.idle.push(worker);
      if (job) {
        const out: number[][] = [];
        for (let i = 0; i < job.texts.length; i++) out.push(Array.from(reply.flat.subarray(i * reply.dim, (i + 1) * reply.dim)));
        job.resolve(out);
      }
    }
    if (!this.closed) this.dispatch();
  }
}
