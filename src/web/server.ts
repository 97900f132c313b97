import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { ConfigError } from "../config.ts";
import { MAX_GAP_DAYS, QuestionError, ReceiptIdError } from "../library.ts";
import type { Library } from "../library-types.ts";
import { requireAccess } from "./access.ts";
import type { WebConfig } from "./config.ts";
import type { Html } from "./html.ts";
import { answerPage } from "./pages/answer.ts";
import { articlePage } from "./pages/article.ts";
import { refusalPage } from "./pages/layout.ts";
import { correctionsPage, feedbackPage, feedsPage, gapsPage } from "./pages/lists.ts";
import { homePage, searchPage } from "./pages/search.ts";

const STYLE = readFileSync(new URL("./static/style.css", import.meta.url), "utf8");
/** Corrections are kept as long as earlier versions (REVISION_RETENTION_DAYS, at most 3650). */
const MAX_CORRECTION_DAYS = 3650;

/**
 * No script, no inline style, no frame, no form posting elsewhere: whatever stored text slipped
 * through escaping still could not run. No referrer, so a signed link never leaves in one.
 */
const HEADERS: Record<string, string> = {
  "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
};

export interface WebOptions {
  library: Library;
  config: WebConfig;
  /** Where unexpected errors are reported (default: stderr). */
  warn?: (message: string, error?: unknown) => void;
}

/** The staff web face: read-only pages over the library, each behind requireAccess (but the stylesheet). */
export function createWebApp(options: WebOptions): Hono {
  const { library: lib, config } = options;
  const warn = options.warn ?? ((m: string, e?: unknown) => process.stderr.write(`${m}${e instanceof Error ? `: ${e.message}` : ""}\n`));
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(HEADERS)) c.res.headers.set(k, v);
  });
  // The stylesheet is the project's own and holds nothing of the coverage: open, so that refusal pages are styled too.
  app.get("/style.css", (c) => c.body(STYLE, 200, { "Content-Type": "text/css; charset=utf-8" }));
  app.use("*", requireAccess(lib, config, { secureCookie: (lib.webLink("/") ?? "").startsWith("https:") }));

  const show = (c: Context, h: Html, status: 200 | 400 | 404 = 200) => c.html(h.value, status);
  const notFound = (c: Context, why: string) => show(c, refusalPage(404, why), 404);
  const days = (value: string | undefined, fallback: number, max: number): number | null => {
    if (value === undefined || value === "") return fallback;
    const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    return n >= 1 && n <= max ? n : null;
  };

  app.get("/", (c) => show(c, homePage(lib)));
  app.get("/articles/:id", (c) => {
    const id = c.req.param("id");
    const found = articlePage(lib, id, markOf(c.req.query("p"), c.req.query("q")));
    return found ? show(c, found) : notFound(c, "No article with that id is in the coverage (it may have been removed).");
  });
  app.get("/answers/:id", (c) => {
    let receipt;
    try {
      receipt = lib.receipt(c.req.param("id"));
    } catch (error) {
      if (error instanceof ReceiptIdError) return show(c, refusalPage(400, error.message), 400);
      throw error;
    }
    return receipt ? show(c, answerPage(lib, receipt)) : notFound(c, "No answer with that receipt id is kept: it never existed, or it is older than the receipts' retention (RECEIPT_RETENTION_DAYS).");
  });
  app.get("/search", async (c) => {
    const q = c.req.query("q") ?? "";
    if (!q.trim()) return show(c, searchPage(lib, "", null, null));
    try {
      return show(c, searchPage(lib, q, await lib.answer(q), null));
    } catch (error) {
      if (error instanceof QuestionError) return show(c, searchPage(lib, q, null, error.message), 400);
      throw error;
    }
  });
  app.get("/gaps", async (c) => {
    const d = days(c.req.query("days"), 7, MAX_GAP_DAYS);
    if (d === null) return show(c, refusalPage(400, `days must be a whole number from 1 to ${MAX_GAP_DAYS}.`), 400);
    return show(c, gapsPage(await lib.gaps({ days: d }), MAX_GAP_DAYS));
  });
  app.get("/corrections", (c) => {
    const d = days(c.req.query("days"), 7, MAX_CORRECTION_DAYS);
    if (d === null) return show(c, refusalPage(400, `days must be a whole number from 1 to ${MAX_CORRECTION_DAYS}.`), 400);
    return show(c, correctionsPage(lib.corrections({ days: d }), d, MAX_CORRECTION_DAYS));
  });
  app.get("/feeds", (c) => show(c, feedsPage(lib.feeds.list())));
  app.get("/feedback", (c) => {
    const d = days(c.req.query("days"), 7, MAX_GAP_DAYS);
    if (d === null) return show(c, refusalPage(400, `days must be a whole number from 1 to ${MAX_GAP_DAYS}.`), 400);
    return show(c, feedbackPage(lib.feedback({ days: d }), MAX_GAP_DAYS));
  });
  app.notFound((c) => notFound(c, "There is no such page."));
  app.onError((error, c) => {
    warn(`web: ${c.req.method} ${c.req.path} failed`, error);
    return c.html(refusalPage(500, "The page could not be made; the error is in the log.").value, 500);
  });
  return app;
}

/** `?p=9&q=12-80`: a range of a paragraph to mark; anything malformed marks nothing (the page still opens). */
function markOf(p: string | undefined, q: string | undefined): { paragraph: number; start: number; end: number } | null {
  if (!p || !/^\d{1,4}$/.test(p)) return null;
  const m = q ? /^(\d{1,6})-(\d{1,6})$/.exec(q) : null;
  return m ? { paragraph: Number(p), start: Number(m[1]), end: Number(m[2]) } : null;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the pages on host:port (port 0: any free one); the URL it listens on, and close() that ends open connections too. */
export async function startWebServer(options: WebOptions & { port: number; host: string }): Promise<WebServer> {
  const app = createWebApp(options);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "is in use by another program" : error.code === "EACCES" ? "may not be used by this user (ports below 1024 need privileges)" : `cannot be used (${error.message})`;
      reject(new ConfigError(`WEB_PORT ${options.port} on ${options.host} ${why}: choose another port (WEB_PORT or --port) or host (WEB_HOST).`));
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}
