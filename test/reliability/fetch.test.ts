/**
 * What the bot downloads (an /ingest attachment) is bounded in size and time, must be article text,
 * and never comes from a private, loopback or link-local address, including through redirects,
 * however the address is spelled. (The basics are in test/discord/parts.test.ts; these are the
 * ways around them.) Host names are "resolved" by a stub: the first hop's name `localhost` is
 * declared public (93.184.216.34, which `dial` then reaches at 127.0.0.1) so that the server on
 * 127.0.0.1 can play the public CDN that redirects inward.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentError, fetchAttachment, isPrivateAddress, type FetchAttachmentOptions } from "../../src/ingest/fetch.ts";

let server: Server;
let port: number;
const hits: string[] = [];

const routes: Record<string, (res: ServerResponse) => void> = {
  "/ok.md": (res) => res.writeHead(200, { "content-type": "text/markdown" }).end("# Title\n\nBody text."),
  "/drip.txt": (res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    const timer = setInterval(() => res.write("x"), 50);
    res.on("close", () => clearInterval(timer));
  },
  "/chunked.txt": (res) => {
    res.writeHead(200, { "content-type": "text/plain" }); // no content-length: streamed
    for (let i = 0; i < 20; i++) res.write("y".repeat(1000));
    res.end();
  },
  "/declared.txt": (res) => {
    res.writeHead(200, { "content-type": "text/plain", "content-length": String(50 * 1024 * 1024) });
    res.write("z");
  },
  "/exe.txt": (res) => res.writeHead(200, { "content-type": "application/x-msdownload" }).end("MZ"),
  "/loop.txt": (res) => res.writeHead(302, { location: "/loop.txt" }).end(),
  "/article.txt": (res) => res.writeHead(200, { "content-type": "text/plain" }).end("Headline\n\nA perfectly valid article."),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const to = url.searchParams.get("to");
    if (url.pathname === "/redirect" && to) return void res.writeHead(302, { location: to }).end();
    (routes[url.pathname] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Strict mode (what production uses), with a stub resolver. */
const strict: FetchAttachmentOptions = {
  maxBytes: 10_000,
  timeoutMs: 1_000,
  allowPrivateHosts: false,
  resolve: async (host) => {
    if (host === "localhost") return ["93.184.216.34"];
    if (host === "internal.example") return ["10.0.0.5"];
    if (host === "mixed.example") return ["93.184.216.34", "192.168.1.20"];
    if (host === "metadata.example") return ["169.254.169.254"];
    if (host === "v6.example") return ["fd12:3456::1"];
    if (host === "nothing.example") return [];
    throw new Error("ENOTFOUND");
  },
  dial: (address) => (address === "93.184.216.34" ? "127.0.0.1" : address),
};
const att = (url: string, name = "story.md") => ({ name, url, size: 10, contentType: "text/plain" });
const refusal = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(AttachmentError);
  return (e as Error).message;
};

describe("attachment downloads refuse internal addresses", () => {
  it("follows a redirect between public hosts", async () => {
    const file = await fetchAttachment(att(`http://localhost:${port}/redirect?to=${encodeURIComponent(`http://localhost:${port}/ok.md`)}`), strict);
    expect(Buffer.from(file.bytes).toString()).toContain("Body text.");
  });

  it("refuses a redirect to a private, loopback or link-local address, however it is written, before connecting", async () => {
    const targets = [
      `http://127.0.0.1:${port}/ok.md`,
      `http://127.1:${port}/ok.md`,
      `http://2130706433:${port}/ok.md`,
      `http://0x7f000001:${port}/ok.md`,
      `http://[::1]:${port}/ok.md`,
      `http://[::ffff:127.0.0.1]:${port}/ok.md`,
      `http://0.0.0.0:${port}/ok.md`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.5/ok.md",
      "http://internal.example/ok.md",
      "http://mixed.example/ok.md",
      "http://metadata.example/ok.md",
      "http://v6.example/ok.md",
    ];
    for (const to of targets) {
      const before = hits.length;
      const message = await refusal(fetchAttachment(att(`http://localhost:${port}/redirect?to=${encodeURIComponent(to)}`), strict));
      expect(message, to).toMatch(/private network address/);
      // Only the redirecting hop reached the server: the private target was never requested.
      expect(hits.slice(before), to).toEqual([`/redirect?to=${encodeURIComponent(to)}`]);
    }
  });

  it("refuses a host whose DNS answers a public address to the check and loopback to the connection (DNS rebinding)", async () => {
    let answers = 0;
    const rebinding: FetchAttachmentOptions = { ...strict, resolve: async () => (answers++ === 0 ? ["93.184.216.34"] : ["127.0.0.1"]) };
    const before = hits.length;
    // `localhost` so that code which resolves again outside the check really reaches the server.
    const message = await refusal(fetchAttachment(att(`http://localhost:${port}/article.txt`, "article.txt"), rebinding));
    expect(message).toBe("It is served from a private network address, which I don't download from.");
    expect(hits.slice(before)).toEqual([]);
    // The refusal came from the answer the connection would have used, not from the pre-check's.
    expect(answers).toBe(2);
  });

  it("refuses redirects to other schemes, unresolvable hosts, and endless redirects", async () => {
    const via = (to: string) => att(`http://localhost:${port}/redirect?to=${encodeURIComponent(to)}`);
    expect(await refusal(fetchAttachment(via("file:///etc/passwd"), strict))).toMatch(/not http\(s\)/);
    expect(await refusal(fetchAttachment(via("gopher://localhost/x"), strict))).toMatch(/not http\(s\)/);
    expect(await refusal(fetchAttachment(via("http://unknown.example/x"), strict))).toMatch(/Could not resolve unknown\.example/);
    expect(await refusal(fetchAttachment(via("http://nothing.example/x"), strict))).toMatch(/private network address/);
    expect(await refusal(fetchAttachment(att(`http://localhost:${port}/loop.txt`), strict))).toMatch(/HTTP 302/);
  });

  it("classifies the address ranges an attacker would aim at", () => {
    for (const a of ["127.0.0.1", "127.255.255.254", "10.255.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "::1", "fe80::abcd", "fc00::1", "fd00:ec2::254", "::ffff:10.0.0.1", "::ffff:a00:1", "ff02::1", "not-an-ip"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe("attachment downloads are bounded", () => {
  const open: FetchAttachmentOptions = { ...strict, allowPrivateHosts: true };
  const local = (path: string, name = "story.txt") => att(`http://127.0.0.1:${port}${path}`, name);

  it("in time: a body that never ends is cut off at the timeout", async () => {
    const started = Date.now();
    expect(await refusal(fetchAttachment(local("/drip.txt"), { ...open, maxBytes: 1_000_000, timeoutMs: 400 }))).toMatch(/took longer than 0\.4 s/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("in size: a streamed body without a length stops at the limit; a declared length is refused before reading", async () => {
    expect(await refusal(fetchAttachment(local("/chunked.txt"), open))).toMatch(/story\.txt is .* MiB; the limit is/);
    const started = Date.now();
    expect(await refusal(fetchAttachment(local("/declared.txt"), { ...open, timeoutMs: 5_000 }))).toMatch(/is 50\.0 MiB; the limit is/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("in type: only text is read, whatever the file name says", async () => {
    expect(await refusal(fetchAttachment(local("/exe.txt"), open))).toMatch(/served as application\/x-msdownload, not an article file/);
    expect(await refusal(fetchAttachment({ ...local("/ok.md", "story.exe"), contentType: null }, open))).toMatch(/not a file type I can read/);
  });
});
