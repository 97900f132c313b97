import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One item of a served feed; `content` is the item's full text (content:encoded / Atom content), `page` the HTML at its link. */
export interface ServedItem {
  guid: string;
  title: string;
  path?: string;
  published?: string;
  description?: string;
  content?: string;
  page?: string;
}

/**
 * A newsroom's web server on 127.0.0.1, as feeds and article pages are served: RSS 2.0 (with
 * content:encoded) or Atom, an ETag and Last-Modified that change with the feed and 304s for
 * conditional requests, pages at the items' links, and whatever else a test routes (`raw`).
 */
export class FeedServer {
  items: ServedItem[] = [];
  format: "rss" | "atom" = "rss";
  title = "Harbour Gazette";
  ttlMinutes: number | null = null;
  /** Paths answered as given instead: a status, headers and a body. */
  raw = new Map<string, { status: number; headers?: Record<string, string>; body?: string | Buffer }>();
  /** Every request, in order. */
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  private server!: Server;
  base = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? "/";
      this.requests.push({ path, headers: req.headers });
      const raw = this.raw.get(path);
      if (raw) return void res.writeHead(raw.status, raw.headers ?? {}).end(raw.body);
      if (path === "/feed.xml") {
        const body = this.document();
        const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
        if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag }).end();
        return void res.writeHead(200, { "content-type": this.format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml", etag }).end(body);
      }
      const item = this.items.find((i) => i.path === path);
      if (item?.page) return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(item.page);
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get feedUrl(): string {
    return `${this.base}/feed.xml`;
  }

  /** Requests for the feed itself. */
  feedRequests() {
    return this.requests.filter((r) => r.path === "/feed.xml");
  }

  document(): string {
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const link = (i: ServedItem) => (i.path ? `${this.base}${i.path}` : null);
    if (this.format === "atom") {
      const entries = this.items.map(
        (i) =>
          `<entry><id>${esc(i.guid)}</id><title>${esc(i.title)}</title>${link(i) ? `<link rel="alternate" href="${esc(link(i)!)}"/>` : ""}` +
          `${i.published ? `<updated>${i.published}</updated>` : ""}${i.description ? `<summary>${esc(i.description)}</summary>` : ""}${i.content ? `<content type="html">${esc(i.content)}</content>` : ""}</entry>`,
      );
      return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(this.title)}</title><id>${this.base}/</id><updated>2026-12-01T00:00:00Z</updated>${entries.join("")}</feed>`;
    }
    const items = this.items.map(
      (i) =>
        `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title>${link(i) ? `<link>${esc(link(i)!)}</link>` : ""}` +
        `${i.published ? `<pubDate>${new Date(i.published).toUTCString()}</pubDate>` : ""}${i.description ? `<description>${esc(i.description)}</description>` : ""}` +
        `${i.content ? `<content:encoded><![CDATA[${i.content}]]></content:encoded>` : ""}</item>`,
    );
    return (
      `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${esc(this.title)}</title>` +
      `<link>${this.base}/</link><description>News</description>${this.ttlMinutes ? `<ttl>${this.ttlMinutes}</ttl>` : ""}${items.join("")}</channel></rss>`
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An article page as a CMS serves it: navigation and footer around the story. */
export function articlePage(title: string, paragraphs: string[], published = "2026-12-01T09:00:00Z"): string {
  return (
    `<!doctype html><html><head><title>${title} | Harbour Gazette</title><meta property="og:title" content="${title}">` +
    `<meta property="og:site_name" content="Harbour Gazette"><meta property="article:published_time" content="${published}"></head>` +
    `<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join("")}</article>` +
    `<footer>© Harbour Gazette</footer></body></html>`
  );
}

/** A story long enough to count as the item's full text (over FULL_CONTENT_CHARS). */
export function fullText(paragraphs: string[]): string {
  return paragraphs.map((p) => `<p>${p}</p>`).join("\n");
}
