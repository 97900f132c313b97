import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalizeArticle } from "../../src/articles/identity.ts";
import type { BotHandle } from "../../src/discord/bot.ts";
import { resolveArticle, resolveRef } from "../../src/discord/articles.ts";
import { articleRef } from "../../src/discord/buttons.ts";
import { unescapeMarkdown } from "../../src/discord/render.ts";
import type { Library } from "../../src/library-types.ts";
import { Store } from "../../src/store/store.ts";
import { anyServer, paragraphButtons, startTestBot } from "../support/bot.ts";
import { startFakeDiscord, type FakeDiscord } from "../../tools/fake-discord/server.ts";
import { tempLibrary } from "../support/library.ts";

const ANSWER_MS = 10_000;
/** Long enough (over 80 characters) that its buttons carry a "#" hash of it instead of the id. */
const LONG_ID = `newsroom-archive/2025/12/04/harbour-lighthouse-restoration-approved-by-council-${"x".repeat(20)}`;
const REAL = {
  id: LONG_ID,
  title: "Harbour council approves the lighthouse restoration",
  paragraphs: [
    "The Port Ellery harbour council voted on Tuesday to restore the old lighthouse on the northern breakwater.",
    "Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.",
  ],
};
const QUESTION = "What did fishermen say about the lighthouse decision?";
const impostor = (id: string) => ({ id, title: "Fishermen condemn lighthouse plan", paragraphs: ["Fishermen condemned the decision, saying the lighthouse money should have gone on the harbour wall."] });

/** What an older version let in: an article whose id is the real article's button reference, written straight into the store. */
function storeImpostor(dir: string): void {
  const store = Store.open(dir);
  try {
    store.writeArticles([{ article: finalizeArticle({ format: "json", origin: "old.json", ...impostor(articleRef(LONG_ID)) }), sentences: [[]] }], []);
  } finally {
    store.close();
  }
}

describe("an id cannot impersonate another article", () => {
  let fake: FakeDiscord;
  let lib: Library;
  let dir: string;
  let cleanup: () => Promise<void>;
  let bot: BotHandle;

  beforeAll(async () => {
    ({ lib, dir, cleanup } = await tempLibrary());
    await lib.ingest([{ name: "real.json", bytes: new TextEncoder().encode(JSON.stringify(REAL)) }]);
    fake = await startFakeDiscord();
    ({ bot } = await startTestBot(fake, lib, { moderatorRoles: anyServer("moderator") }));
  });
  afterAll(async () => {
    try {
      await bot?.stop();
    } finally {
      await fake?.close();
      await cleanup?.();
    }
  });

  it("an upload whose id is another article's button reference is refused with the reason, and the button still opens the real article", async () => {
    const ref = articleRef(LONG_ID);
    expect(ref).toMatch(/^#[\w-]{16}$/);
    const mod = fake.user({ username: "editor", roles: ["Moderator"] });
    const upload = fake.slash(mod, "ingest", {}, { attachments: { file: { name: "impostor.json", data: JSON.stringify(impostor(ref)), contentType: "application/json" } } });
    const summary = unescapeMarkdown((await upload.waitForEdit(undefined, ANSWER_MS)).content ?? "");
    expect(summary).toMatch(/^impostor\.json: 1 failed, added 0, replaced 0, unchanged 0 \(/);
    expect(summary).toMatch(/starts with "#", which is reserved for the references on the bot's buttons/);
    expect(lib.articles().map((a) => a.id)).toEqual([LONG_ID]);

    const member = fake.user({ username: "reader" });
    const asked = fake.slash(member, "ask", { question: QUESTION });
    const answer = await asked.waitForEdit(undefined, ANSWER_MS);
    const [button] = paragraphButtons(lib, answer.components);
    expect(button).toMatchObject({ articleId: LONG_ID, paragraph: 2, customId: `para:${ref}:2` });

    // Even an impostor stored before ids were checked cannot take the button over: a "#" reference
    // is matched against the hash of each full id, never taken as an id.
    storeImpostor(dir);
    expect(lib.articles()).toHaveLength(2);
    const shown = await fake.clickButton(member, asked.original()!, button!.customId).waitForCallback();
    const text = unescapeMarkdown(shown.data!.embeds![0]!.description!);
    expect(text).toContain(REAL.paragraphs[1]);
    expect(text).not.toContain("condemned");
  });

  it("resolves a reference to exactly the one article whose reference it is, or to none", async () => {
    const ref = articleRef(LONG_ID);
    for (const resolve of [resolveRef, resolveArticle]) {
      const found = resolve(lib, ref);
      expect(found.ok && found.article.id).toBe(LONG_ID);
    }
    expect(resolveRef(lib, LONG_ID)).toMatchObject({ ok: true, article: { id: LONG_ID } });
    // A "#" reference that is no article's reference is not guessed from titles or id prefixes.
    expect(resolveArticle(lib, "#AAAAAAAAAAAAAAAA")).toMatchObject({ ok: false, message: expect.stringMatching(/No article in the coverage matches/) });
    expect(resolveRef(lib, "Harbour council approves the lighthouse restoration")).toMatchObject({ ok: false });
    expect(resolveArticle(lib, "Harbour council approves the lighthouse restoration")).toMatchObject({ ok: true, article: { id: LONG_ID } });
  });
});
