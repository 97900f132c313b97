import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Library } from "../library-types.ts";
import type { WebConfig } from "./config.ts";
import { refusalPage } from "./pages/layout.ts";

/** A session a signed link opens lasts this long (or until the link's own expiry, if sooner). */
export const SESSION_HOURS = 12;
const COOKIE = "nq_session";
/** The cookie is signed as this pseudo-path, which no page has (pages start with "/"). */
const SESSION_PATH = "session";

/**
 * Nothing is served without one of: the bearer token (WEB_TOKEN), a signed link that has not
 * expired (which opens a session cookie, HttpOnly and SameSite=Strict, so that the pages it links
 * to open too), that session, or, for article pages with WEB_PUBLIC_ARTICLES=true, nothing at all.
 * No credentials: 401; wrong or expired ones: 403. Credentials are checked even on public article
 * pages, so that a bad token is never mistaken for none.
 */
export function requireAccess(lib: Library, config: WebConfig, options: { secureCookie: boolean }): MiddlewareHandler {
  return async (c, next) => {
    // As it was requested, percent-escapes and all: what a link was signed for.
    const path = new URL(c.req.url).pathname;
    const auth = c.req.header("authorization");
    if (auth !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
      if (!config.token || !token || !same(token, config.token)) return refuse(c, 403, "That token is not this site's token.");
      return next();
    }
    const exp = c.req.query("exp");
    const sig = c.req.query("sig");
    if (exp !== undefined || sig !== undefined) {
      const check = lib.checkWebLink(path, exp ?? "", sig ?? "");
      if (check !== "valid") return refuse(c, 403, check === "expired" ? "This link has expired: ask the bot for a new one (/web or /receipt in Discord)." : "This link is not one the bot made, or it was changed.");
      openSession(c, lib, Math.min(Number(exp), Math.floor(Date.now() / 1000) + SESSION_HOURS * 3600), options.secureCookie);
      return next();
    }
    const session = getCookie(c, COOKIE);
    if (session !== undefined) {
      const [sExp = "", sSig = ""] = session.split(".");
      const check = lib.checkWebLink(SESSION_PATH, sExp, sSig);
      if (check !== "valid") return refuse(c, 403, check === "expired" ? "Your session has ended: open a new link from the bot (/web in Discord)." : "That session is not one this site opened.");
      return next();
    }
    if (config.publicArticles && path.startsWith("/articles/")) return next();
    c.header("WWW-Authenticate", 'Bearer realm="newsroom-quotes"');
    return refuse(c, 401, "These pages are for the newsroom's staff: open them with a link from the bot (/web in Discord) or with the site's token.");
  };
}

function openSession(c: Context, lib: Library, expires: number, secure: boolean): void {
  const { exp, sig } = lib.signWebPath(SESSION_PATH, new Date(expires * 1000));
  setCookie(c, COOKIE, `${exp}.${sig}`, { httpOnly: true, sameSite: "Strict", secure, path: "/", expires: new Date(expires * 1000) });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function refuse(c: Context, status: 401 | 403, why: string) {
  return c.html(refusalPage(status, why).value, status);
}
