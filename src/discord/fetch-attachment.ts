import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import path from "node:path";
import type { SourceFile } from "../articles/types.ts";

/**
 * Downloads an /ingest attachment, defensively: only article file types, a size cap checked before
 * and during the download, a timeout, no redirects to elsewhere unchecked, and no requests to
 * private, loopback or link-local addresses (an attachment URL must not become a way to probe the
 * bot's own network) unless explicitly allowed (tests, whose fake Discord serves on 127.0.0.1).
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
}

/** A problem with the upload that the moderator can fix; its message says how. */
export class AttachmentError extends Error {
  override name = "AttachmentError";
}

export const INGEST_EXTENSIONS = [".txt", ".text", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson"];
const ACCEPTED_TYPES = [/^text\//, /^application\/(json|x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines|ld\+json|xhtml\+xml|octet-stream)$/];
const MAX_REDIRECTS = 3;

export async function fetchAttachment(att: AttachmentLike, options: FetchAttachmentOptions): Promise<SourceFile> {
  const ext = path.extname(att.name).toLowerCase();
  if (!INGEST_EXTENSIONS.includes(ext)) {
    throw new AttachmentError(`${att.name} is not a file type I can read. Upload articles as .txt, .md, .html, .json or .jsonl.`);
  }
  if (att.size > options.maxBytes) throw new AttachmentError(tooBig(att.name, att.size, options.maxBytes));
  if (att.contentType && !acceptedType(att.contentType)) {
    throw new AttachmentError(`${att.name} is ${att.contentType.split(";")[0]}, not text. Upload articles as .txt, .md, .html, .json or .jsonl.`);
  }

  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = att.url;
  let response: Response;
  for (let redirects = 0; ; redirects++) {
    await checkHost(url, options);
    try {
      response = await fetch(url, { redirect: "manual", signal });
    } catch (error) {
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
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new AttachmentError(`Could not download ${att.name} (HTTP ${response.status}); try uploading it again.`);
  }
  const type = response.headers.get("content-type");
  if (type && !acceptedType(type)) {
    await response.body?.cancel();
    throw new AttachmentError(`${att.name} was served as ${type.split(";")[0]}, not text. Upload articles as .txt, .md, .html, .json or .jsonl.`);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new AttachmentError(tooBig(att.name, declared, options.maxBytes));
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      if (total > options.maxBytes) throw new AttachmentError(tooBig(att.name, total, options.maxBytes));
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AttachmentError) throw error;
    throw new AttachmentError(signal.aborted ? `Downloading ${att.name} took longer than ${seconds(options.timeoutMs)}; try again.` : `Downloading ${att.name} failed (${(error as Error).message}); try again.`);
  }
  return { name: att.name, bytes: Buffer.concat(chunks) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function acceptedType(contentType: string): boolean {
  const t = contentType.split(";")[0]!.trim().toLowerCase();
  return ACCEPTED_TYPES.some((re) => re.test(t));
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
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : options.resolve ? await options.resolve(host) : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new AttachmentError(`Could not resolve ${host} to download the attachment; try again.`);
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new AttachmentError("The attachment is served from a private network address, which I don't download from.");
  }
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
