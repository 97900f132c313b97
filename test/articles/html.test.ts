import { describe, expect, it } from "vitest";
import { finalizeArticle } from "../../src/articles/identity.ts";
import { parseHtml } from "../../src/articles/html.ts";
import { MAX_HTML_DEPTH } from "../../src/articles/limits.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { fixture, textFile } from "./helpers.ts";

describe("html page with site furniture", () => {
  const result = parseSource(fixture("page.html"));
  const article = result.articles[0]!;

  it("keeps only the article's paragraphs, in order", () => {
    expect(result.errors).toEqual([]);
    expect(article.format).toBe("html");
    expect(article.paragraphs).toEqual([
      "Dock workers at the city's container port voted on Thursday to end a 12-day strike, after the operator agreed to a 6.5% pay rise over two years and a review of night-shift staffing.",
      "“This is a fair deal and our members have said so clearly,” union organiser Dr. Ana Costa told reporters outside the main gate. About 1,400 workers took part in the ballot.",
      "The stoppage left more than 40 ships waiting offshore and cost the regional economy an estimated €30 million a day, according to the chamber of commerce.",
      "“We expect normal operations to resume by Monday,” the port authority said in a statement.",
    ]);
  });

  it("never takes text from scripts, styles, noscript, navigation, ads, or the footer", () => {
    const all = article.paragraphs.join("\n");
    for (const junk of ["SCRIPT TEXT", "STYLE TEXT", "NOSCRIPT", "Opinion", "Advertisement", "newsletter", "Share this", "cookies", "Ferry fares", "All rights reserved", "By Maria Lopez"]) {
      expect(all).not.toContain(junk);
    }
  });

  it("reads title, canonical url, outlet, author and date from the page's metadata", () => {
    expect(article).toMatchObject({
      title: "Port strike ends after 12 days",
      url: "https://gazette.example/news/port-strike-ends/?utm_source=rss&utm_medium=feed",
      outlet: "Harbour Gazette",
      author: "Maria Lopez",
      published: "2025-11-28T09:30:00+01:00",
    });
    // The stored URL loses its tracking parameters.
    expect(finalizeArticle(article).url).toBe("https://gazette.example/news/port-strike-ends/");
  });
});

describe("html gallery and syndication furniture (seen on the extraction benchmark's pages)", () => {
  it("drops gallery counters, caption toggles, teasers, syndication notes, image credits and bare addresses, and keeps the reporting", () => {
    const report = [
      "Regional car dealers reported a ten percent fall in new car sales in October, the third monthly drop in a row.",
      "Dealers blamed higher loan rates and a shortage of the smaller models that first-time buyers want most.",
    ];
    const html = `<html><head><title>New car sales plunge</title></head><body><article><h1>New car sales plunge</h1>
<p>https://www.example-news.com/business/article/New-car-sales-plunge-14847624.php</p>
<p>Image 1 of / 9</p><p>Caption</p><p>Close</p><p>1 of 6</p>
<p>${report[0]}</p>
<p>Unsold cars on a dealer's lot in Houston (Image: GETTY )</p>
<p>BREAKING NEWS</p><p>Highlights</p>
<p>${report[1]}</p>
<p>Via SyndiGate.info</p><p>Loading content ...</p>
</article></body></html>`;
    expect(parseHtml(html, "cars.html").articles[0]!.paragraphs).toEqual(report);
  });
});

describe("html metadata fallbacks", () => {
  it("uses <title> without the site name, <time datetime> and JSON-LD", () => {
    const html = `<html><head><title>Flood warning issued – Valley News</title>
      <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"x"},{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Valley News"},"author":[{"name":"Ann Lee"},{"name":"Bo Ray"}]}]}</script>
      </head><body><article><time datetime="2025-03-02">2 March</time><p>The river rose two metres overnight, and residents were told to move to higher ground before dawn.</p></article></body></html>`;
    const [a] = parseHtml(html, "f.html").articles;
    expect(a).toMatchObject({ title: "Flood warning issued", outlet: "Valley News", author: "Ann Lee, Bo Ray", published: "2025-03-02" });
    expect(a!.paragraphs).toEqual(["The river rose two metres overnight, and residents were told to move to higher ground before dawn."]);
  });

  it("reads a bare fragment of paragraphs", () => {
    const [a] = parseHtml("<p>First short one.</p><p>Second short one.</p>", "frag.html").articles;
    expect(a!.paragraphs).toEqual(["First short one.", "Second short one."]);
  });

  it("falls back to the body's paragraphs when the page is too big for Readability", () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `<div class="row"><span>cell ${i}</span><span>x</span></div>`).join("");
    const html = `<html><body><nav><p>Menu item</p></nav><div class="share-tools"><p>Share</p></div><main><p>The only paragraph of real text in this page.</p></main><div>${rows}</div></body></html>`;
    const [a] = parseHtml(html, "big.html").articles;
    expect(a!.paragraphs).toEqual(["The only paragraph of real text in this page."]);
  });
});

describe("html guards", () => {
  it("rejects absurdly deep nesting quickly, naming the file", () => {
    const started = performance.now();
    const r = parseSource(textFile("deep.html", "<div>".repeat(200_000) + "text"));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.articles).toEqual([]);
    expect(r.errors[0]!.where).toBe("deep.html");
    expect(r.errors[0]!.reason).toContain(`${MAX_HTML_DEPTH} levels`);
  });

  it("reads moderately deep pages without Readability's slow path", () => {
    const html = "<html><body>" + "<div>".repeat(900) + "<p>Deep but fine.</p>" + "</div>".repeat(900) + "</body></html>";
    const started = performance.now();
    const r = parseSource(textFile("deep.html", html));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.articles[0]!.paragraphs).toEqual(["Deep but fine."]);
  });

  it("ignores thousands of scripts, even unclosed ones", () => {
    const chunk = `<script>document.write("<p>INJECTED</p>")</script><style>p{}</style><p>Real paragraph number one here.</p>`;
    const html = `<html><body><article>${chunk.repeat(3000)}<p>Last real paragraph.</p><script>var tail = "<p>TAIL</p>";`;
    const started = performance.now();
    const r = parseSource(textFile("scripts.html", html));
    expect(performance.now() - started).toBeLessThan(8_000);
    const all = r.articles[0]!.paragraphs.join("\n");
    expect(all).toContain("Last real paragraph.");
    expect(all).not.toContain("INJECTED");
    expect(all).not.toContain("TAIL");
  });

  it("rejects a 10 MB single-line page with a clear reason", () => {
    const r = parseSource(textFile("huge.html", "<p>" + "word ".repeat(2_000_000)));
    expect(r.articles).toEqual([]);
    expect(r.errors[0]).toMatchObject({ where: "huge.html" });
    expect(r.errors[0]!.reason).toMatch(/MB of markup/);
  });

  it("says so when a page has no article text", () => {
    const r = parseSource(textFile("app.html", `<html><body><div id="root"></div><script>render()</script></body></html>`));
    expect(r.articles).toEqual([]);
    expect(r.errors).toEqual([{ where: "app.html", reason: expect.stringMatching(/No article text was found in the page/) }]);
  });

  it("honours a declared legacy charset instead of rejecting the bytes", () => {
    const head = new TextEncoder().encode(`<html><head><meta charset="windows-1252"></head><body><p>Caf`);
    const tail = new TextEncoder().encode(` au lait costs 3 euros.</p></body></html>`);
    const bytes = new Uint8Array([...head, 0xe9, ...tail]);
    const r = parseSource({ name: "legacy.htm", bytes });
    expect(r.errors).toEqual([]);
    expect(r.articles[0]!.paragraphs).toEqual(["Café au lait costs 3 euros."]);
  });
});
