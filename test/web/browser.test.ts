import { fileURLToPath } from "node:url";
import { PermissionFlagsBits } from "discord.js";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotHandle } from "../../src/discord/bot.ts";
import { unescapeMarkdown } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { startWebServer, type WebServer } from "../../src/web/server.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { expectCleanTrafficAfterEach, startTestBot } from "../support/bot.ts";
import { tempLibrary } from "../support/library.ts";
import { freePort } from "../support/net.ts";
import { coverageFile, HARBOUR, HOSTILE } from "../support/web.ts";

const AXE = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));
const ANSWER_MS = 20_000;

/**
 * The pages in a real headless Chromium (Debian's), opened from the links the bot gives in
 * Discord (real discord.js against the fake): the quote marked where it was quoted from, the
 * citation landing on its paragraph, hostile markup inert, links refused when forged or expired.
 */
describe("the staff web pages in a browser, from the bot's links", () => {
  let lib: Library;
  let cleanup: () => Promise<void>;
  let web: WebServer;
  let fake: FakeDiscord;
  let bot: BotHandle;
  let browser: Browser;
  let receiptId: string;
  let answerLink: string;
  /** Requests that left for anywhere but the web face, and dialogs opened, across every page of the test. */
  const strays: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    ({ lib, cleanup } = await tempLibrary({ env: { WEB_PUBLIC_URL: `http://127.0.0.1:${port}` } }));
    await lib.ingest([coverageFile(HARBOUR, HOSTILE)]);
    web = await startWebServer({ library: lib, config: { port, host: "127.0.0.1", token: null, publicArticles: false }, port, host: "127.0.0.1" });
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib));
    browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"], headless: true });
  }, 60_000);
  expectCleanTrafficAfterEach(() => fake);
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await fake?.close();
    await web?.close();
    await cleanup?.();
  });

  const staff = () => fake.user({ username: "desk-editor", permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages });

  /** A page that lets through only requests to the web face, and records the rest and any dialog. */
  async function watched(context = browser.defaultBrowserContext()): Promise<Page> {
    const page = await context.newPage();
    // So that escaping, not the CSP alone, is what keeps hostile markup inert (and axe can be injected).
    await page.setBypassCSP(true);
    await page.setRequestInterception(true);
    page.on("request", (r) => {
      if (r.url().startsWith(`${web.url}/`)) void r.continue();
      else {
        strays.push(r.url());
        void r.abort();
      }
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  }

  it("gives a member's citation of an article without a URL a link to its page, and staff a signed link to the answer's page with /receipt", async () => {
    const asked = await fake.slash(fake.user({ username: "reader" }), "ask", { question: "How much is the lighthouse budget?" }).waitForEdit(undefined, ANSWER_MS);
    const embed = asked.embeds![0]!;
    receiptId = /receipt (R-[0-9A-Z]{6})/.exec(embed.footer?.text ?? "")![1]!;
    const cited = embed.fields!.find((f) => unescapeMarkdown(f.name).includes(HARBOUR.title))!;
    expect(cited.value).toMatch(new RegExp(`\\[Open at the quoted paragraph\\]\\(${web.url}/articles/harbour-lighthouse\\?p=1&q=\\d+-\\d+#p1\\)`));

    const receipt = await fake.slash(staff(), "receipt", { id: receiptId }).waitForEdit(undefined, ANSWER_MS);
    answerLink = receipt.embeds![0]!.url!;
    expect(answerLink).toMatch(new RegExp(`^${web.url}/answers/${receiptId}\\?exp=\\d+&sig=[\\w-]+$`));
  });

  it("opens the answer page from that link: the marked text is the quote byte for byte, inside the cited paragraph; the citation lands on the paragraph", async () => {
    const quote = lib.receipt(receiptId)!.answer.quotes[0]!;
    const page = await watched();
    const res = await page.goto(answerLink);
    expect(res?.status()).toBe(200);
    const marked = await page.$$eval("mark", (ms) => ms.map((m) => ({ text: m.textContent, paragraph: m.closest("p")?.id ?? null })));
    expect(marked).toEqual([{ text: quote.text, paragraph: `c${quote.citation}-p${quote.paragraph}` }]);
    expect(await page.$eval(`#c${quote.citation}-p${quote.paragraph}`, (p) => p.textContent)).toContain(HARBOUR.paragraphs[quote.paragraph - 1]);
    await expectAccessible(page);

    // By keyboard: the link to the article is reached with Tab and followed with Enter (the session the link opened carries on).
    const href = await page.$eval(`#c${quote.citation} .links a`, (a) => a.getAttribute("href"));
    await page.focus(`#c${quote.citation} .links a`);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    expect(page.url()).toBe(`${web.url}${href}`);
    expect(new URL(page.url()).hash).toBe(`#p${quote.paragraph}`);
    expect(await page.$eval(":target", (t) => t.id)).toBe(`p${quote.paragraph}`);
    expect(await page.$eval(`#p${quote.paragraph} mark`, (m) => m.textContent)).toBe(quote.text);
    expect(await page.$$eval("p[id^=p]", (ps) => ps.map((p) => p.id))).toEqual(["p1", "p2", "p3"]);
    await expectAccessible(page);
    await page.close();
  });

  it("opens the pages with the link /web gives staff, and refuses a forged or expired link in a fresh browser", async () => {
    const reply = await fake.slash(staff(), "web", {}).waitForCallback(undefined, ANSWER_MS);
    const link = /<(http[^>]+)>/.exec(reply.data?.content ?? "")![1]!;
    const context = await browser.createBrowserContext();
    try {
      const page = await watched(context);
      const forged = link.replace(/sig=([\w-]{4})/, "sig=AAAA");
      expect((await page.goto(forged))?.status()).toBe(403);
      const { exp, sig } = lib.signWebPath("/", new Date(Date.now() - 1000));
      const expired = await page.goto(`${web.url}/?exp=${exp}&sig=${sig}`);
      expect(expired?.status()).toBe(403);
      expect(await page.$eval("main", (m) => m.textContent)).toContain("This link has expired");
      expect((await page.goto(`${web.url}/feeds`))?.status()).toBe(401);
      expect((await page.goto(link))?.status()).toBe(200);
      expect((await page.goto(`${web.url}/feeds`))?.status()).toBe(200);
    } finally {
      await context.close();
    }
  });

  it("renders the hostile article inertly: no dialog, no element from its text, no request beyond the page and its stylesheet", async () => {
    const page = await watched();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(answerLink);
    requested.length = 0;
    const before = strays.length;
    expect((await page.goto(`${web.url}/articles/hostile-markup`))?.status()).toBe(200);
    expect(await page.$$eval("main script, main img, main iframe, main svg, main link, main b, main a[href^=javascript]", (e) => e.length)).toBe(0);
    expect(await page.$eval("#p2", (p) => p.textContent)).toContain("<img src=x onerror=alert(2)>");
    expect(await page.title()).toBe("<script>alert('title')</script> Council <b>minutes</b> · newsroom-quotes");
    expect(dialogs).toEqual([]);
    expect(strays.slice(before)).toEqual([]);
    expect(requested).toEqual(["/articles/hostile-markup", "/style.css"]);
    await page.close();
  });
});
