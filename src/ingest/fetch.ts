import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import path from "node:path";
import { Agent, fetch, type Response } from "undici";
import { READABLE_EXTENSIONS, SUPPORTED_FORMATS } from "../articles/formats.ts";
import type { SourceFile } from "../articles/types.ts";

/**
 * Downloads an /ingest attachment, defensively: only article file types, a size cap checked before
 * and during the download, a timeout, no redirects to elsewhere unchecked, and no requests to
 * private, loopback or link-local addresses (an attachment URL must not become a way to probe the
 * bot's own network) unless explicitly allowed (tests, whose fake Discord serves on 127.0.0.1).
 * The address check happens where the socket is opened, on the very address it connects to: a
 * check before fetch() would let a hostile DNS server answer a public address to the check and
 * 127.0.0.1 to the connection (DNS rebinding).
 */
export interface AttachmentLike {
  name: string;
  url: string;
  size: number;
  contentType: string | null;
}

export interface FetchAttachmentOptions {
  maxBytes: number;
  timeoutMs: number;
  allowPrivateHosts: boolean;
  /** For tests: resolve host names differently. */
  resolve?: (host: string) => Promise<string[]>;
  /**
   * For tests: the address actually connected to for a resolved one that passed the check, so
   * that a server on 127.0.0.1 can play a public host.
   */
  dial?: (address: string) => string;
}

/** A problem with the upload that the moderator can fix; its message says how. */
export class AttachmentError extends Error {
  override name = "AttachmentError";
}

const ACCEPTED_TYPES = [/^text\//, /^application\/(json|x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines|ld\+json|xhtml\+xml|octet-stream|zip|x-zip-compressed)$/];
const MAX_REDIRECTS = 3;
const PRIVATE_HOST = "It is served from a private network address, which I don't download from.";

export async function fetchAttachment(att: AttachmentLike, options: FetchAttachmentOptions): Promise<SourceFile> {
  const ext = path.extname(att.name).toLowerCase();
  if (!READABLE_EXTENSIONS.includes(ext)) {
    throw new AttachmentError(`${att.name} is not a file type I can read. Upload articles as ${SUPPORTED_FORMATS}.`);
  }
  if (att.size > options.maxBytes) throw new AttachmentError(tooBig(att.name, att.size, options.maxBytes));
  if (att.contentType && !acceptedType(att.contentType)) {
    throw new AttachmentError(`${att.name} is ${att.contentType.split(";")[0]}, not an article file. Upload articles as ${SUPPORTED_FORMATS}.`);
  }

  const { bytes } = await guardedDownload(att, options);
  return { name: att.name, bytes };
}

/** What a download may also ask: conditional headers, and the content types it takes instead of article files'. */
interface DownloadRequest {
  headers?: Record<string, string>;
  accept?: RegExp[];
}

interface Downloaded {
  /** 304: the server said nothing changed since the validators sent (bytes are empty). */
  status: 200 | 304;
  bytes: Uint8Array;
  finalUrl: string;
  headers: { get(name: string): string | null };
}

async function guardedDownload(att: AttachmentLike, options: FetchAttachmentOptions, request: DownloadRequest = {}): Promise<Downloaded> {
  // One agent per download, so its connections (and their checked addresses) end with it.
  const agent = new Agent(options.allowPrivateHosts ? {} : { connect: { lookup: guardedLookup(options) } });
  try {
    return await download(att, options, agent, request);
  } finally {
    await agent.close();
  }
}

const FEED_TYPES = [/^text\//, /^application\/((rss|atom|rdf)\+)?xml$/, /^application\/octet-stream$/];

/** A refusal worth trying again later (the server failed or was slow), or one that names what the feed's server said. */
export class FeedFetchError extends AttachmentError {
  override name = "FeedFetchError";
  constructor(
    message: string,
    /** Seconds the server asked to wait (Retry-After), when it said. */
    readonly retryAfterS: number | null,
  ) {
    super(message);
  }
}

/** A feed's response: its bytes, or that it has not changed, with the validators and caching hints for the next poll. */
export interface FetchedFeed {
  status: 200 | 304;
  bytes: Uint8Array;
  finalUrl: string;
  etag: string | null;
  lastModified: string | null;
  /** Cache-Control max-age, in seconds: the feed asks not to be polled sooner. */
  maxAgeS: number | null;
}

/**
 * A feed, under the guards of `fetchPage`, asked conditionally (If-None-Match / If-Modified-Since)
 * so that an unchanged feed costs its server a 304 and us nothing.
 */
export async function fetchFeed(link: string, validators: { etag: string | null; lastModified: string | null }, options: FetchAttachmentOptions): Promise<FetchedFeed> {
  const headers: Record<string, string> = { accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5" };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;
  let got: Downloaded;
  try {
    got = await guardedDownload({ name: "the feed", url: link, size: 0, contentType: null }, options, { headers, accept: FEED_TYPES });
  } catch (error) {
    if (error instanceof HttpStatusError) throw new FeedFetchError(`The feed's server answered HTTP ${error.status}${error.status === 404 || error.status === 410 ? " (not found): check the address" : ""}.`, error.retryAfterS);
    throw error;
  }
  const maxAge = /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(got.headers.get("cache-control") ?? "");
  return {
    status: got.status,
    bytes: got.bytes,
    finalUrl: got.finalUrl,
    etag: got.headers.get("etag"),
    lastModified: got.headers.get("last-modified"),
    maxAgeS: maxAge ? Number(maxAge[1]) : null,
  };
}

/** A response other than 200 (or 304 when asked conditionally). */
class HttpStatusError extends AttachmentError {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterS: number | null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds: a number, or an HTTP date. */
function retryAfter(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - Date.now()) / 1000));
}

/**
 * An article page by its link (`/ingest url:`, `npm run ingest -- URL`), under the same guards as
 * an attachment: public addresses only (checked where the socket connects, redirects included),
 * the size cap, the timeout. Named by its address ("example.org/news/story.html"), so that the same
 * link ingested again is the same origin; the address is the articles' URL when the page names no
 * canonical one, and an article's URL is its identity: a new version replaces the old.
 */
export async function fetchPage(link: string, options: FetchAttachmentOptions): Promise<SourceFile> {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw new AttachmentError(`"${link.slice(0, 200)}" is not a web address: give the article's full link, starting with https://.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AttachmentError(`${url.protocol} links are not fetched: give the article's https:// link.`);
  url.hash = "";
  const { bytes, finalUrl } = await guardedDownload({ name: pageName(url), url: url.toString(), size: 0, contentType: null }, options);
  // Named and identified by where the link led (an old link redirected to the story is the story).
  const final = new URL(finalUrl);
  final.hash = "";
  return { name: pageName(final), bytes, url: final.toString() };
}

/** "example.org/news/story.html": the page's address as a file name the parser reads as HTML. */
function pageName(url: URL): string {
  const ext = path.extname(url.pathname).toLowerCase();
  return `${url.hostname}${url.pathname === "/" ? "/index" : url.pathname.replace(/\/$/, "")}${READABLE_EXTENSIONS.includes(ext) ? "" : ".html"}`;
}

async function download(att: AttachmentLike, options: FetchAttachmentOptions, agent: Agent, request: DownloadRequest): Promise<Downloaded> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = att.url;
  let response: Response;
  for (let redirects = 0; ; redirects++) {
    await checkHost(url, options);
    try {
      response = await fetch(url, { redirect: "manual", signal, dispatcher: agent, ...(request.headers ? { headers: request.headers } : {}) });
    } catch (error) {
      // undici reports a refusal from guardedLookup as `TypeError: fetch failed` with it as the cause.
      const refusal = causeOfType(error, AttachmentError);
      if (refusal) throw refusal;
      throw new AttachmentError(signal.aborted ? `Downloading ${att.name} took longer than ${seconds(options.timeoutMs)}; try again.` : `Could not download ${att.name} (${(error as Error).message}); try again.`);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location && redirects < MAX_REDIRECTS) {
      await response.body?.cancel();
      url = new URL(location, url).toString();
      continue;
    }
    break;
  }
  if (response.status === 304 && request.headers) {
    await response.body?.cancel();
    return { status: 304, bytes: new Uint8Array(), finalUrl: url, headers: response.headers };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new HttpStatusError(`Could not download ${att.name} (HTTP ${response.status}); try uploading it again.`, response.status, retryAfter(response.headers.get("retry-after")));
  }
  const type = response.headers.get("content-type");
  if (type && !acceptedType(type, request.accept)) {
    await response.body?.cancel();
    throw new AttachmentError(
      request.accept ? `${att.name} was served as ${type.split(";")[0]}, not as an RSS or Atom feed. Check the address.` : `${att.name} was served as ${type.split(";")[0]}, not an article file. Upload articles as ${SUPPORTED_FORMATS}.`,
    );
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new AttachmentError(tooBig(att.name, declared, options.maxBytes));
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > options.maxBytes) throw new AttachmentError(tooBig(att.name, total, options.maxBytes));
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AttachmentError) throw error;
    throw new AttachmentError(signal.aborted ? `Downloading ${att.name} took longer than ${seconds(options.timeoutMs)}; try again.` : `Downloading ${att.name} failed (${(error as Error).message}); try again.`);
  }
  return { status: 200, bytes: Buffer.concat(chunks), finalUrl: url, headers: response.headers };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function acceptedType(contentType: string, accept = ACCEPTED_TYPES): boolean {
  const t = contentType.split(";")[0]!.trim().toLowerCase();
  return accept.some((re) => re.test(t));
}

function tooBig(name: string, bytes: number, max: number): string {
  const mib = (n: number) => (n / 2 ** 20).toFixed(1);
  return `${name} is ${mib(bytes)} MiB; the limit is ${mib(max)} MiB. Split it into smaller files (JSONL splits cleanly by lines).`;
}

async function checkHost(raw: string, options: FetchAttachmentOptions): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AttachmentError("The attachment has no valid download link.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AttachmentError("The attachment's download link is not http(s).");
  if (options.allowPrivateHosts) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // Connecting to an IP literal skips guardedLookup, so this is the only check literals get. For
  // names it is an early, friendlier refusal; guardedLookup is what makes it stick.
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolveHost(host, options);
  } catch {
    throw new AttachmentError(`Could not resolve ${host} to download the attachment; try again.`);
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new AttachmentError(PRIVATE_HOST);
}

async function resolveHost(host: string, options: FetchAttachmentOptions): Promise<string[]> {
  return options.resolve ? await options.resolve(host) : (await lookup(host, { all: true })).map((a) => a.address);
}

/**
 * The lookup the socket itself uses, so the addresses checked are the addresses connected to. All
 * answers are checked, not just the one used: with family auto-selection the socket may try any.
 */
function guardedLookup(options: FetchAttachmentOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveHost(hostname, options).then(
      (resolved) => {
        if (resolved.length === 0 || resolved.some(isPrivateAddress)) return callback(new AttachmentError(PRIVATE_HOST), "");
        const wanted = lookupOptions.family === 4 || lookupOptions.family === "IPv4" ? 4 : lookupOptions.family === 6 || lookupOptions.family === "IPv6" ? 6 : 0;
        const addresses = resolved
          .map((a) => (options.dial ? options.dial(a) : a))
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => wanted === 0 || a.family === wanted);
        if (addresses.length === 0) return callback(Object.assign(new Error(`No IPv${wanted} address for ${hostname}`), { code: "ENOTFOUND" }), "");
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}

/** The first error of the given class along a chain of `cause`s (bounded, in case of a cycle). */
function causeOfType<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  let e = error;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++, e = e.cause) {
    if (e instanceof type) return e;
  }
  return undefined;
}

// Separate lists: a BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d).
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked4.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  // IPv4-mapped addresses in hex form (URL parsing turns [::ffff:127.0.0.1] into [::ffff:7f00:1]).
  ["::ffff:0:0", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked6.addSubnet(net, prefix, "ipv6");
}

/** Loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked4.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked4.check(mapped[1]!, "ipv4");
  return blocked6.check(address, "ipv6");
}
