import { createHash, randomInt } from "node:crypto";
import type { Answer, RetrievalMethod } from "../answer/types.ts";
import type { ReceiptStore } from "../store/receipt-store.ts";
import type { Store } from "../store/store.ts";
import type { AnswerOrigin, Receipt, ReceiptCitation } from "./types.ts";

/** Crockford's base32 without I, L, O, U: read aloud or retyped, an id cannot be misread. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ID_LENGTH = 6;
const ID = new RegExp(`^R-[${ALPHABET}]{${ID_LENGTH}}$`);

export class ReceiptIdError extends Error {
  override name = "ReceiptIdError";
}

/** "R-7K3Q9X": 32^6 (about a billion) ids, drawn at random so that one cannot guess another's. */
export function newReceiptId(): string {
  let id = "R-";
  for (let i = 0; i < ID_LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** An id as people type it: any case, with or without "R-", O for 0 and I/L for 1. Throws with the expected form. */
export function parseReceiptId(input: string): string {
  let s = input.trim().toUpperCase().replace(/^R-?/, "");
  s = s.replace(/O/g, "0").replace(/[IL]/g, "1");
  const id = `R-${s}`;
  if (!ID.test(id)) throw new ReceiptIdError(`"${input.trim().slice(0, 40)}" is not a receipt id: they look like R-7K3Q9X (shown under every answer).`);
  return id;
}

export const paragraphHash = (text: string) => createHash("sha256").update(text).digest("hex");

export interface ReceiptContext {
  store: Store;
  receipts: ReceiptStore;
  memberHash(memberId: string): string;
}

/** Writes a receipt for an answer as a face gave it; returns its id. */
export function recordAnswer(ctx: ReceiptContext, answer: Answer, where: AnswerOrigin, generation: number, method: RetrievalMethod, now = new Date()): string {
  const citations = answer.citations.map((c) => {
    const text = ctx.store.paragraphWithContext(c.articleId, c.paragraph, 0)?.[0]?.text;
    // A paragraph removed between answering and recording cannot match any text later.
    return { n: c.n, articleId: c.articleId, paragraph: c.paragraph, title: c.title, textHash: text === undefined ? "" : paragraphHash(text) };
  });
  const row = {
    at: now.toISOString(),
    question: answer.question,
    status: answer.status,
    confidence: answer.confidence,
    generation,
    method,
    face: where.face,
    guildId: where.guildId ?? null,
    channelId: where.channelId ?? null,
    member: where.memberId ? ctx.memberHash(where.memberId) : null,
    answerJson: JSON.stringify(answer),
  };
  for (;;) {
    const id = newReceiptId();
    if (ctx.receipts.insert({ id, ...row }, citations)) return id;
  }
}

/** A receipt with, per cited paragraph, whether it still reads the same today. */
export function readReceipt(ctx: ReceiptContext, id: string): Receipt | null {
  const found = ctx.receipts.get(id);
  if (!found) return null;
  const { row } = found;
  const answer = JSON.parse(row.answerJson) as Answer;
  const texts = new Map<string, string[] | null>();
  const textsOf = (articleId: string) => {
    if (!texts.has(articleId)) texts.set(articleId, ctx.store.article(articleId) ? ctx.store.paragraphTexts(articleId) : null);
    return texts.get(articleId)!;
  };
  const citations: ReceiptCitation[] = found.citations.map((c) => {
    const base = { n: c.n, articleId: c.articleId, paragraph: c.paragraph, title: c.title, hash: c.textHash };
    const paragraphs = textsOf(c.articleId);
    if (!paragraphs) return { ...base, today: "gone", now: null, quoteStillThere: null };
    const current = paragraphs[c.paragraph - 1];
    if (current !== undefined && paragraphHash(current) === c.textHash) return { ...base, today: "same", now: c.paragraph, quoteStillThere: null };
    const moved = paragraphs.findIndex((t) => paragraphHash(t) === c.textHash);
    if (moved >= 0) return { ...base, today: "moved", now: moved + 1, quoteStillThere: null };
    const quoted = answer.quotes.filter((q) => q.citation === c.n);
    return { ...base, today: "changed", now: null, quoteStillThere: quoted.length ? quoted.every((q) => (current ?? "").includes(q.text)) : null };
  });
  return {
    id: row.id,
    at: row.at,
    question: row.question,
    status: row.status as Answer["status"],
    confidence: row.confidence,
    generation: row.generation,
    method: row.method,
    face: row.face as AnswerOrigin["face"],
    guildId: row.guildId,
    channelId: row.channelId,
    member: row.member,
    answer,
    citations,
    unchanged: citations.every((c) => c.today === "same"),
    feedback: ctx.receipts.ratingsOf(row.id),
  };
}
