/**
 * One writer per data directory: a second writer (in another process or this one) is refused with
 * a message naming the holder; a holder killed with SIGKILL leaves no stale lock; readers need none.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { acquireWriterLock, LockError } from "../../src/ops/lock.ts";
import { ROOT, runNode } from "../reliability/support.ts";

const work = mkdtempSync(path.join(tmpdir(), "nq-lock-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  }
});

/** A separate process holding the lock of `dir` until killed; resolves once it holds it. */
async function holder(dir: string, purpose: string): Promise<ChildProcess> {
  const script = `import { acquireWriterLock } from ${JSON.stringify(path.join(ROOT, "src/ops/lock.ts"))};
acquireWriterLock(${JSON.stringify(dir)}, ${JSON.stringify(purpose)});
process.stdout.write("held\\n");
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("held")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

describe("the writer lock", () => {
  it("refuses a second writer while another process holds it, naming the holder", async () => {
    const dir = path.join(work, "held");
    const child = await holder(dir, "the Discord bot");
    let error: unknown;
    try {
      acquireWriterLock(dir, "npm run ingest").release();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockError);
    const message = (error as LockError).message;
    expect(message).toContain(`Cannot start npm run ingest: the Discord bot (pid ${child.pid} on ${hostname()}, started `);
    expect(message).toContain(`is already writing to the store in ${dir}`);
    expect(message).toContain(`Stop pid ${child.pid} first`);
    expect((error as LockError).holder?.pid).toBe(child.pid);
  });

  it("refuses `npm run ingest` (exit 2, the holder named) but lets `npm run ask` read beside the holder", async () => {
    const dir = path.join(work, "cli");
    const article = path.join(ROOT, "data/articles/000_ff91c482c5c7be67.txt");
    const first = await runNode("src/cli/ingest.ts", ["--data-dir", dir, article]);
    expect(first.code, first.stderr).toBe(0);

    const child = await holder(dir, "the Discord bot");
    const refused = await runNode("src/cli/ingest.ts", ["--data-dir", dir, article]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the Discord bot (pid ${child.pid} on ${hostname()}`);
    expect(refused.stderr).not.toMatch(/Unexpected error/);

    const asked = await runNode("src/cli/ask.ts", ["--data-dir", dir, "What did Peskov say about publicity?"]);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain("excessive publicity could hinder progress");
  });

  it("is free again when its holder is killed with SIGKILL, and says whom it took over from", async () => {
    const dir = path.join(work, "killed");
    const child = await holder(dir, "npm run ingest");
    child.kill("SIGKILL");
    await once(child, "exit");
    const lock = acquireWriterLock(dir, "the Discord bot");
    try {
      expect(lock.tookOverFrom).toMatchObject({ pid: child.pid, purpose: "npm run ingest", host: hostname() });
    } finally {
      lock.release();
    }
    // Released properly this time: the next holder takes over from nobody.
    const next = acquireWriterLock(dir, "the Discord bot");
    expect(next.tookOverFrom).toBeNull();
    next.release();
  });

  it("refuses a second writer in the same process until the first releases", () => {
    const dir = path.join(work, "same-process");
    const first = acquireWriterLock(dir, "npm run ingest");
    expect(() => acquireWriterLock(dir, "npm run compact")).toThrow(/npm run ingest \(pid \d+ on .*\) is already writing/);
    first.release();
    acquireWriterLock(dir, "npm run compact").release();
  });
});
