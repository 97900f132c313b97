/**
 * The README's pictures of the staff pages: `npm run screenshots:web`. The bundled sample story in a
 * temporary store, one question answered and recorded, then its answer page and the cited article
 * (at the quoted paragraph) photographed in Debian's chromium at a phone-ish and a desk width.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { openLibrary, seedSampleCoverage } from "../src/library.ts";
import { startWebServer } from "../src/web/server.ts";

const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));
const QUESTION = "What did Peskov say about publicity?";

const dir = mkdtempSync(path.join(tmpdir(), "nq-shots-"));
const lib = await openLibrary({ dataDir: dir, env: { EMBED_WORKERS: "0" }, warn: () => {} });
const web = await startWebServer({ library: lib, config: { port: null, host: "127.0.0.1", token: null, publicArticles: false }, port: 0, host: "127.0.0.1" });
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"], headless: true });
try {
  await seedSampleCoverage(lib);
  const answer = await lib.answer(QUESTION);
  const id = lib.recordAnswer(answer, { face: "discord", guildId: "1", channelId: "2", memberId: "reader" });
  // Two ratings, so the picture shows the feedback section as staff meet it.
  lib.linkAnswerMessage(id, "shot-message");
  lib.rateAnswer({ messageId: "shot-message", helpful: true, by: "reader-a" });
  lib.rateAnswer({ messageId: "shot-message", helpful: false, by: "reader-b" });
  const open = (page: string) => {
    const { exp, sig } = lib.signWebPath(page.split(/[?#]/)[0]!, new Date(Date.now() + 600_000));
    const [before, hash] = page.split("#");
    return `${web.url}${before}${before!.includes("?") ? "&" : "?"}exp=${exp}&sig=${sig}${hash ? `#${hash}` : ""}`;
  };
  const page = await browser.newPage();
  await page.setViewport({ width: 820, height: 1100 });
  await page.goto(open(`/answers/${id}`));
  await page.screenshot({ path: path.join(DOCS, "web-answer.png") });
  const q = answer.quotes[0]!;
  await page.goto(open(`/articles/${encodeURIComponent(q.articleId)}?p=${q.paragraph}&q=${q.start}-${q.end}#p${q.paragraph}`));
  await page.screenshot({ path: path.join(DOCS, "web-article.png") });
  process.stdout.write(`docs/web-answer.png and docs/web-article.png: answer ${id} to "${QUESTION}"\n`);
} finally {
  await browser.close();
  await web.close();
  await lib.close();
  rmSync(dir, { recursive: true, force: true });
}
