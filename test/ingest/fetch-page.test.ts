import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentError, fetchPage } from "../../src/library.ts";
import { ask, tempLibrary } from "../support/library.ts";

// A saved news page with its navigation, ads and scripts (the HTML parser's own fixture).
const SAVED_PAGE = path.resolve("test/fixtures/articles/page.html");

/** A newsroom page as a CMS serves it: no canonical link, so its address is its identity. */
const page = (budget: string) => `<!doctype html><html><head><title>Harbour council approves lighthouse budget | Harbour Gazette</title>
<meta property="og:title" content="Harbour council approves lighthouse budget"><meta property="article:published_time" content="2025-03-04T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Harbour council approves lighthouse budget</h1>
<p>The harbour council approved ${budget} for the restoration of the Skerry Point lighthouse on Monday evening.</p>
<p>Work on the lamp room will start in May and should take about eight months, the council's engineer said.</p>
<p>The lighthouse has been dark since a storm damaged its lantern two winters ago.</p></article><footer>© Harbour Gazette</footer></body></html>`;

describe("adding an article by its link", () => {
  let server: Server;
  let base: string;
  let budget = "4.2 million euros";
  const options = { maxBytes: 5 * 2 ** 20, timeoutMs: 10_000, allowPrivateHosts: true };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/news/lighthouse-budget") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(budget));
      if (req.url === "/saved") return void res.writeHead(200, { "content-type": "text/html" }).end(readFileSync(SAVED_PAGE));
      if (req.url === "/old-link") return void res.writeHead(301, { location: "/news/lighthouse-budget" }).end();
      if (req.url === "/feed.png") return void res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(10));
      res.writeHead(404).end("not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("ingests the page's article under its address, and the same link again updates it instead of adding a copy", async () => {
    const { lib, cleanup } = await tempLibrary();
    try {
      const first = await lib.ingest([await fetchPage(`${base}/news/lighthouse-budget`, options)]);
      expect(first.added).toHaveLength(1);
      const id = first.added[0]!;
      expect(lib.article(id)?.url).toBe(`${base}/news/lighthouse-budget`);
      expect((await ask(lib, "how much did the harbour council approve for the lighthouse?")).quotes[0]!.text).toContain("4.2 million euros");

      budget = "4.5 million euros";
      // Through a redirect, as an old link would come: still the same article.
      const second = await lib.ingest([await fetchPage(`${base}/old-link`, options)]);
      expect(second.added).toEqual([]);
      expect(second.replacements.map((r) => r.replaced.id)).toEqual([id]);
      expect(lib.articles()).toHaveLength(1);
      expect((await ask(lib, "how much did the harbour council approve for the lighthouse?")).quotes[0]!.text).toContain("4.5 million euros");
    } finally {
      budget = "4.2 million euros";
      await cleanup();
    }
  });

  it("reads a saved news page's article text without its navigation, under the page's canonical URL", async () => {
    const { lib, cleanup } = await tempLibrary();
    try {
      const summary = await lib.ingest([await fetchPage(`${base}/saved`, options)]);
      expect(summary.failed).toEqual([]);
      expect(summary.added).toHaveLength(1);
      const article = lib.article(summary.added[0]!)!;
      expect(article.paragraphs).toBeGreaterThan(2);
      // The page's canonical URL, not the address it was fetched from, is its identity.
      expect(article.url).toBe("https://gazette.example/news/port-strike-ends/");
      expect(lib.paragraph(article.id, 1)?.[0]?.text).not.toMatch(/Home|Subscribe|Advertisement/);
    } finally {
      await cleanup();
    }
  });

  it("refuses private addresses unless allowed, links that are not web pages, and pages that are not there, saying what to do", async () => {
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.then(() => null, (error: unknown) => error);
      expect(e).toBeInstanceOf(AttachmentError);
      return (e as Error).message;
    };
    expect(await refusal(fetchPage(`${base}/news/lighthouse-budget`, { ...options, allowPrivateHosts: false }))).toMatch(/private network address/);
    expect(await refusal(fetchPage("ftp://example.org/story", options))).toMatch(/give the article's https:\/\/ link/);
    expect(await refusal(fetchPage("lighthouse budget", options))).toMatch(/not a web address/);
    expect(await refusal(fetchPage(`${base}/missing`, options))).toMatch(/HTTP 404/);
    expect(await refusal(fetchPage(`${base}/feed.png`, options))).toMatch(/image\/png, not an article/);
  });
});
