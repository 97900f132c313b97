/**
 * Article URLs: only absolute http(s) links are kept (they are shown as clickable citations), and
 * tracking parameters are removed so the same story shared from a newsletter and from a feed is
 * recognised as one article.
 */

const TRACKING = /^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga)$/i;

/** The absolute http(s) URL `value` names (resolved against `base`), or undefined. */
export function httpUrl(value: string | null | undefined, base?: string): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (v === "" || v.length > 4096) return undefined;
  try {
    const u = base ? new URL(v, base) : new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** URL as stored and shown: tracking parameters and the #fragment removed, otherwise as given. */
export function cleanUrl(value: string): string | undefined {
  const href = httpUrl(value);
  if (!href) return undefined;
  const u = new URL(href);
  u.hash = "";
  // Deleting re-serialises the whole query, so it is only touched when a tracking key is present.
  for (const key of [...new Set(u.searchParams.keys())]) if (TRACKING.test(key)) u.searchParams.delete(key);
  return u.href.replace(/\?$/, "");
}

/**
 * URL as an identity: cleanUrl, plus no trailing slash, so "…/story/" and "…/story" are one article.
 * The host is already lowercased by the URL parser (and so is the scheme).
 */
export function identityUrl(value: string): string | undefined {
  const clean = cleanUrl(value);
  if (!clean) return undefined;
  const u = new URL(clean);
  if (u.pathname.length > 1 && u.pathname.endsWith("/")) u.pathname = u.pathname.replace(/\/+$/, "");
  let href = u.href;
  if (u.pathname === "/" && u.search === "") href = href.replace(/\/$/, "");
  return href;
}
