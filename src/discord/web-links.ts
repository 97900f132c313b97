import type { Library } from "../library-types.ts";

/** How long a link the bot gives staff opens the web pages: a working day, and then it is only an address. */
export const WEB_LINK_HOURS = 24;

/** A signed link to a staff web page, or null when WEB_PUBLIC_URL is not set (the pages have no address to give). */
export function staffPageLink(lib: Library, page: string): string | null {
  return lib.webLink(page, { expires: new Date(Date.now() + WEB_LINK_HOURS * 3_600_000) });
}
