/** The optional HTTP health endpoint (HEALTH_PORT): /healthz says the process works, /readyz that it serves (gateway connected, store open). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "../config.ts";

/** What the process says about itself; `details` is sent as JSON with either answer. */
export interface HealthProbe {
  /** The process works (its store can be read): a supervisor should not restart it. */
  live: boolean;
  /** It serves (connected, store open, not shutting down): traffic and health checks may rely on it. */
  ready: boolean;
  details: Record<string, unknown>;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A minimal HTTP health endpoint: `GET /healthz` (liveness) and `GET /readyz` (readiness), 200 or
 * 503 with the probe's details as JSON; anything else is 404. It reads only what `probe` returns,
 * never a request body, so it cannot be made to do work.
 */
export async function startHealthServer(options: { port: number; host: string; probe: () => HealthProbe }): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const route = (req.url ?? "").split("?")[0];
    if ((req.method !== "GET" && req.method !== "HEAD") || (route !== "/healthz" && route !== "/readyz")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("GET /healthz or /readyz\n");
      return;
    }
    let probe: HealthProbe;
    try {
      probe = options.probe();
    } catch (error) {
      probe = { live: false, ready: false, details: { error: (error as Error).message } };
    }
    const ok = route === "/healthz" ? probe.live : probe.ready;
    const body = JSON.stringify({ status: ok ? "ok" : "unavailable", ...probe.details });
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : `${body}\n`);
  });
  // Health checks are short; a client that stays connected must not keep the process from exiting.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "is in use by another program" : error.code === "EACCES" ? "may not be used by this user (ports below 1024 need privileges)" : `cannot be used (${error.message})`;
      reject(new ConfigError(`HEALTH_PORT ${options.port} on ${options.host} ${why}: choose another HEALTH_PORT (or HEALTH_HOST), or leave it unset for no health endpoint.`));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
