import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { startHealthServer } from "../../src/ops/health.ts";
import { exponential, isNetworkFailure, withRetry } from "../../src/ops/retry.ts";
import { freePort } from "../support/net.ts";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });

describe("start-up retries", () => {
  it("stop after the last attempt with its error, logging each wait, doubling up to the cap", async () => {
    const waits: number[] = [];
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw refused();
      },
      { attempts: 4, delayMs: exponential(1, 3), retryable: isNetworkFailure, onRetry: (_e, _n, ms) => waits.push(ms) },
    );
    await expect(run).rejects.toThrow("ECONNREFUSED");
    expect(calls).toBe(4);
    expect(waits).toEqual([1, 2, 3]);
    expect(exponential(1000, 60_000)(7)).toBe(60_000);
  });

  it("give up at once on a failure waiting cannot fix, and end the wait when stopped", async () => {
    let calls = 0;
    const rejected = withRetry(
      async () => {
        calls++;
        throw new ConfigError("Discord rejected DISCORD_TOKEN.");
      },
      { attempts: 10, delayMs: () => 1, retryable: isNetworkFailure, onRetry: () => {} },
    );
    await expect(rejected).rejects.toThrow(ConfigError);
    expect(calls).toBe(1);

    const stop = new AbortController();
    const stopped = withRetry(
      async () => {
        throw refused();
      },
      { attempts: 10, delayMs: () => 3_600_000, retryable: isNetworkFailure, onRetry: () => setImmediate(() => stop.abort()), stop: stop.signal },
    );
    await expect(stopped).resolves.toBeNull();
  });

  it("count network failures (also inside `cause`), timeouts and 5xx as worth retrying, nothing else", () => {
    expect(isNetworkFailure(refused())).toBe(true);
    expect(isNetworkFailure(new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo EAI_AGAIN discord.com"), { code: "EAI_AGAIN" }) }))).toBe(true);
    expect(isNetworkFailure(Object.assign(new Error("Service Unavailable"), { status: 503 }))).toBe(true);
    expect(isNetworkFailure(Object.assign(new Error("Not connected to Discord after 60 s"), { code: "ETIMEDOUT" }))).toBe(true);
    expect(isNetworkFailure(Object.assign(new Error("Unauthorized"), { status: 401 }))).toBe(false);
    expect(isNetworkFailure(new Error("Discord refused the gateway intents"))).toBe(false);
  });
});

describe("the health endpoint", () => {
  it("answers only GET/HEAD /healthz and /readyz, 503 while not ready, and says when its port is taken", async () => {
    let ready = false;
    const health = await startHealthServer({ port: await freePort(), host: "127.0.0.1", probe: () => ({ live: true, ready, details: { phase: ready ? "ready" : "connecting" } }) });
    try {
      expect((await fetch(`${health.url}/readyz`)).status).toBe(503);
      expect(await (await fetch(`${health.url}/healthz`)).json()).toEqual({ status: "ok", phase: "connecting" });
      ready = true;
      expect((await fetch(`${health.url}/readyz`, { method: "HEAD" })).status).toBe(200);
      expect((await fetch(`${health.url}/`)).status).toBe(404);
      expect((await fetch(`${health.url}/readyz`, { method: "POST", body: "x" })).status).toBe(404);
      const port = new URL(health.url).port;
      await expect(startHealthServer({ port: Number(port), host: "127.0.0.1", probe: () => ({ live: true, ready: true, details: {} }) })).rejects.toThrow(
        new ConfigError(`HEALTH_PORT ${port} on 127.0.0.1 is in use by another program: choose another HEALTH_PORT (or HEALTH_HOST), or leave it unset for no health endpoint.`),
      );
    } finally {
      await health.close();
    }
  });
});
