import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../src/library-types.ts";
import { startWebServer, type WebServer } from "../../src/web/server.ts";
import { tempLibrary } from "../support/library.ts";
import { coverageFile, HARBOUR, HOSTILE } from "../support/web.ts";

const TOKEN = "a-staff-token-of-some-length";
describe("the staff web pages over HTTP (real store, real server)", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  let web: WebServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(web.url + path, { headers, redirect: "manual" });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ({ lib, cleanup } = await tempLibrary());
    await lib.ingest([coverageFile(HARBOUR, HOSTILE)]);
    web = await startWebServer({ library: lib, config: { port: null, host: "127.0.0.1", token: TOKEN, publicArticles: false }, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await web?.close();
    await cleanup?.();
  });

  it("serves an article with the token: numbered paragraphs with id=pN, its byline, and a strict CSP", async () => {
    const res = await get("/articles/harbour-lighthouse", bearer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'; style-src 'self'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const body = await res.text();
    expect(body).toContain("<h1>Harbour council approves the lighthouse budget</h1>");
    expect(body).toContain("Port Ellery Post · 2025-11-04");
    for (const n of [1, 2, 3]) expect(body).toContain(`<p id="p${n}"`);
    expect(body).not.toContain("<mark>");
  });

  it("marks the linked range of the linked paragraph, and ignores a range that is not in it", async () => {
    const text = HARBOUR.paragraphs[1]!;
    const start = text.indexOf("the restoration");
    const end = text.indexOf(" and take");
    const body = await (await get(`/articles/harbour-lighthouse?p=2&q=${start}-${end}`, bearer)).text();
    expect(body).toMatch(new RegExp(`<p id="p2" class="cited">.*<mark>the restoration would begin in the spring</mark> and take two years\\.</p>`));
    const wide = await (await get(`/articles/harbour-lighthouse?p=2&q=0-99999`, bearer)).text();
    expect(wide).not.toContain("<mark>");
  });

  it("refuses without credentials (401) and with a wrong token (403), on every page", async () => {
    for (const path of ["/articles/harbour-lighthouse", "/", "/gaps", "/corrections", "/feeds", "/feedback", "/search?q=budget", "/answers/R-7K3Q9X"]) {
      const none = await get(path);
      expect(none.status, path).toBe(401);
      expect(none.headers.get("www-authenticate")).toContain("Bearer");
      expect(await none.text()).not.toContain("lighthouse");
      const wrong = await get(path, { authorization: "Bearer not-the-token-at-all" });
      expect(wrong.status, path).toBe(403);
      expect(await wrong.text()).not.toContain("lighthouse");
    }
  });

  it("opens a page by a signed link until it expires, then refuses it; a forged or re-pointed signature is refused", async () => {
    const path = "/articles/harbour-lighthouse";
    const { exp, sig } = lib.signWebPath(path, new Date(Date.now() + 3_600_000));
    const ok = await get(`${path}?p=1&exp=${exp}&sig=${sig}`);
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // The session the link opened reaches the other pages, without the link.
    const session = cookie.split(";")[0]!;
    expect((await get("/feeds", { cookie: session })).status).toBe(200);
    expect((await get("/feeds", { cookie: `${session.slice(0, -3)}abc` })).status).toBe(403);

    const forged = `${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`;
    expect((await get(`${path}?exp=${exp}&sig=${forged}`)).status).toBe(403);
    expect((await get(`${path}?exp=${Number(exp) + 60}&sig=${sig}`)).status).toBe(403);
    expect((await get(`/articles/hostile-markup?exp=${exp}&sig=${sig}`)).status).toBe(403);
    const past = lib.signWebPath(path, new Date(Date.now() - 1000));
    const expired = await get(`${path}?exp=${past.exp}&sig=${past.sig}`);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("This link has expired");
  });

  it("renders a hostile article's markup as text: no element, no handler, no javascript: link", async () => {
    const body = await (await get("/articles/hostile-markup", bearer)).text();
    const main = body.slice(body.indexOf("<main"));
    expect(main).not.toMatch(/<script|<img|<iframe|<svg|<link|<a href="javascript|<b>/i);
    expect(main).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(main).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(main).toContain("&quot;quoted&quot; &amp; &#39;single&#39;");
    expect(body).toContain("<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Council &lt;b&gt;minutes&lt;/b&gt; · newsroom-quotes</title>");
  });

  it("opens article pages to anyone with WEB_PUBLIC_ARTICLES=true, and nothing else", async () => {
    const open = await startWebServer({ library: lib, config: { port: null, host: "127.0.0.1", token: TOKEN, publicArticles: true }, port: 0, host: "127.0.0.1" });
    try {
      expect((await fetch(`${open.url}/articles/harbour-lighthouse`)).status).toBe(200);
      expect((await fetch(`${open.url}/feeds`)).status).toBe(401);
      expect((await fetch(`${open.url}/articles/harbour-lighthouse`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(403);
    } finally {
      await open.close();
    }
  });

  it("shows an answer's receipt: the question, the tier, the quote marked in its paragraph with its neighbours", async () => {
    const a = await lib.answer("When will the lighthouse restoration begin?");
    const id = lib.recordAnswer(a, { face: "cli" });
    const q = a.quotes[0]!;
    const body = await (await get(`/answers/${id}`, bearer)).text();
    expect(body).toContain(`<h1>Answer ${id}</h1>`);
    expect(body).toContain("When will the lighthouse restoration begin?");
    expect(body).toContain(`<strong>${a.status === "answered" ? "Answered" : "Closest coverage"}`);
    expect(body).toContain(`<mark>${q.text}</mark>`);
    expect(body).toMatch(new RegExp(`<p class="cited" id="c${q.citation}-p${q.paragraph}">[^]*?<mark>`));
    expect(body).toContain("Paragraph " + q.paragraph + " reads the same today.");
    expect(body).toContain(`href="/articles/harbour-lighthouse?p=${q.paragraph}&amp;q=${q.start}-${q.end}#p${q.paragraph}"`);
    expect((await get("/answers/R-ZZZZZZ", bearer)).status).toBe(404);
    expect((await get("/answers/not-a-receipt", bearer)).status).toBe(400);
  });

  it("runs the search box through the same answer and tiers, and refuses an over-long question with the reason", async () => {
    const body = await (await get(`/search?q=${encodeURIComponent("How much is the lighthouse budget?")}`, bearer)).text();
    expect(body).toContain('value="How much is the lighthouse budget?"');
    expect(body).toContain("<mark>");
    expect(body).toContain("4.2 million euros");
    const long = await get(`/search?q=${"word ".repeat(300)}`, bearer);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("the limit is 1000");
  });

  it("lists gaps, corrections and feeds, and refuses days out of range", async () => {
    expect(await (await get("/gaps", bearer)).text()).toContain("<h1>Unanswered topics</h1>");
    expect(await (await get("/feeds", bearer)).text()).toContain("No feed is followed");
    await lib.ingest([coverageFile({ ...HARBOUR, paragraphs: [HARBOUR.paragraphs[0]!.replace("4.2", "4.8"), ...HARBOUR.paragraphs.slice(1)] })]);
    const list = await (await get("/corrections", bearer)).text();
    expect(list).toContain("Harbour council approves the lighthouse budget</a>");
    expect(list).toContain("1 reworded, 0 added, 0 removed");
    const article = await (await get("/articles/harbour-lighthouse", bearer)).text();
    expect(article).toContain("Paragraph 1 (was 1) reworded: <del>The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million");
    expect((await get("/gaps?days=0", bearer)).status).toBe(400);
    expect((await get("/corrections?days=abc", bearer)).status).toBe(400);
  });

  it("says under each quote whose words it is, on the answer page and in search results, as Discord does", async () => {
    const a = await lib.answer("When will the lighthouse restoration begin?");
    const q = a.quotes[0]!;
    expect(q.attribution).toMatchObject({ kind: "attributed" });
    const line = `— attributed to ${q.attribution!.kind === "attributed" ? q.attribution!.speaker : ""}, as reported by Port Ellery Post`;
    expect(line).toContain("Quental");
    const id = lib.recordAnswer(a, { face: "cli" });
    const page = await (await get(`/answers/${id}`, bearer)).text();
    expect(page).toMatch(new RegExp(`<li><q>${q.text}</q> <a href="#c${q.citation}">\\[${q.citation}\\]</a><br><span class="whose">${line}</span></li>`));
    const search = await (await get(`/search?q=${encodeURIComponent("How much is the lighthouse budget?")}`, bearer)).text();
    expect(search).toContain('<span class="whose">— Port Ellery Post&#39;s reporting</span>');
  });

  it("shows the feedback an answer got, as counts and times without who gave it", async () => {
    const a = await lib.answer("What did the fishermen say about the tower?");
    const id = lib.recordAnswer(a, { face: "discord", guildId: "1", channelId: "2", memberId: "asker-1" });
    const unrated = await (await get(`/answers/${id}`, bearer)).text();
    expect(unrated).toContain("No member rated this answer");
    lib.linkAnswerMessage(id, "msg-feedback-1");
    expect(lib.rateAnswer({ messageId: "msg-feedback-1", helpful: true, by: "rater-1" })).toBe("recorded");
    expect(lib.rateAnswer({ messageId: "msg-feedback-1", helpful: false, by: "rater-2" })).toBe("recorded");
    expect(lib.rateAnswer({ messageId: "msg-feedback-1", helpful: true, by: "rater-3" })).toBe("recorded");
    const body = await (await get(`/answers/${id}`, bearer)).text();
    const section = body.slice(body.indexOf('<section class="feedback"'), body.indexOf("</section>", body.indexOf('<section class="feedback"')));
    expect(section).toContain("2 helpful, 1 not helpful.");
    expect(section.match(/<li>helpful, <time datetime="\d{4}-\d\d-\d\dT/g)).toHaveLength(2);
    expect(section.match(/<li>not helpful, <time /g)).toHaveLength(1);
    for (const rater of ["rater-1", "rater-2", "rater-3"]) {
      expect(body).not.toContain(rater);
      expect(body).not.toContain(lib.memberHash(rater));
    }
  });

  it("lists recent feedback with the question (escaped) and a link to the answer it rated, from the navigation", async () => {
    const question = "Is the <b>lighthouse</b> budget 4.2 million euros?";
    const a = await lib.answer(question);
    const id = lib.recordAnswer(a, { face: "discord", guildId: "1", channelId: "2", memberId: "asker-2" });
    lib.linkAnswerMessage(id, "msg-feedback-2");
    lib.rateAnswer({ messageId: "msg-feedback-2", helpful: false, by: "rater-9" });
    const home = await (await get("/", bearer)).text();
    expect(home).toContain('<a href="/feedback">Feedback</a>');
    const body = await (await get("/feedback", bearer)).text();
    expect(body).toContain("<h1>Feedback</h1>");
    expect(body).toMatch(/\d+ helpful, \d+ not helpful/);
    expect(body).not.toContain("<b>lighthouse</b>");
    expect(body).toContain(`<td><strong>not helpful</strong></td><td>Is the &lt;b&gt;lighthouse&lt;/b&gt; budget 4.2 million euros?</td><td><a href="/answers/${id}">${id}</a>`);
    expect(body).not.toContain(lib.memberHash("rater-9"));
    // Newest first: the rating just given leads the list.
    expect(body.indexOf(id)).toBeLessThan(body.indexOf("What did the fishermen say"));
    expect((await get("/feedback?days=0", bearer)).status).toBe(400);
    expect((await get("/feedback?days=366", bearer)).status).toBe(400);
  });
});
