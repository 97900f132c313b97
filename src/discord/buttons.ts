import { createHash } from "node:crypto";
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from "discord.js";
import { clip } from "../common/text.ts";
import type { Answer } from "../library.ts";

/**
 * Buttons under the bot's messages and what their custom_ids mean. A custom_id is at most 100
 * characters, so an article id that is long (or could be confused with a hash) travels as a short
 * hash of itself ("#" + 16 base64url chars), resolved against the store when clicked; everything a
 * click needs is in the id or in the store, so buttons keep working after a restart (feedback
 * finds the answer it rates by the message's id in the answer receipts).
 */
export const CUSTOM_ID_MAX = 100;
export const MAX_PLAIN_REF = 80;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export type CustomId =
  | { kind: "paragraph"; ref: string; paragraph: number }
  | { kind: "feedback"; helpful: boolean }
  | { kind: "articles"; page: number }
  /** A moderator's confirmation of /forget; `ref` names the article shown to them. */
  | { kind: "forget"; ref: string }
  | { kind: "forget-cancel" };

/** How an article travels in a custom_id or an autocomplete choice value (both at most 100 chars). */
export function articleRef(articleId: string): string {
  return articleId.length <= MAX_PLAIN_REF && !articleId.startsWith("#") ? articleId : hashRef(articleId);
}

function hashRef(articleId: string): string {
  return `#${createHash("sha256").update(articleId).digest("base64url").slice(0, 16)}`;
}

export function paragraphButtonId(articleId: string, paragraph: number): string {
  return `para:${articleRef(articleId)}:${paragraph}`;
}

export const FEEDBACK_HELPFUL = "fb:y";
export const FEEDBACK_UNHELPFUL = "fb:n";
export const articlesPageId = (page: number) => `list:${page}`;
export const FORGET_CANCEL = "forget-cancel";

export function parseCustomId(id: string): CustomId | null {
  if (id === FEEDBACK_HELPFUL || id === FEEDBACK_UNHELPFUL) return { kind: "feedback", helpful: id === FEEDBACK_HELPFUL };
  if (id.startsWith("para:")) {
    const cut = id.lastIndexOf(":");
    const paragraph = Number(id.slice(cut + 1));
    const ref = id.slice(5, cut);
    if (!ref || !Number.isInteger(paragraph) || paragraph < 1) return null;
    return { kind: "paragraph", ref, paragraph };
  }
  if (id === FORGET_CANCEL) return { kind: "forget-cancel" };
  if (id.startsWith("forget:")) return id.length > 7 ? { kind: "forget", ref: id.slice(7) } : null;
  if (id.startsWith("list:")) {
    const page = Number(id.slice(5));
    return Number.isInteger(page) && page >= 1 ? { kind: "articles", page } : null;
  }
  return null;
}

const button = (customId: string, label: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger, disabled = false): APIButtonComponentWithCustomId => ({
  type: ComponentType.Button,
  custom_id: customId,
  label: clip(label, 80),
  style,
  ...(disabled ? { disabled: true } : {}),
});

/** Rows of at most 5 buttons. */
export function rows(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  const out: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += 5) out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  return out;
}

/**
 * Under an answer: one "show paragraph" button per citation (at most 20, four rows), then
 * helpful / not helpful. Discord allows 5 rows of 5 buttons.
 */
export function answerButtons(answer: Answer): ButtonRow[] {
  const seen = new Set<string>();
  const show: APIButtonComponentWithCustomId[] = [];
  for (const c of answer.citations) {
    const id = paragraphButtonId(c.articleId, c.paragraph);
    if (seen.has(id) || show.length >= 20) continue;
    seen.add(id);
    const label = answer.status !== "not_found" ? `[${c.n}] Show paragraph ${c.paragraph}` : `Show paragraph ${c.paragraph}${answer.citations.length > 1 ? ` (${c.n})` : ""}`;
    show.push(button(id, label, ButtonStyle.Secondary));
  }
  return [
    ...rows(show),
    rows([button(FEEDBACK_HELPFUL, "👍 Helpful", ButtonStyle.Success), button(FEEDBACK_UNHELPFUL, "👎 Not helpful", ButtonStyle.Secondary)])[0]!,
  ];
}

/** Under a /forget confirmation: remove (the exact article shown) or keep it. */
export function forgetButtons(articleId: string): ButtonRow[] {
  return rows([button(`forget:${articleRef(articleId)}`, "Remove it", ButtonStyle.Danger), button(FORGET_CANCEL, "Cancel", ButtonStyle.Secondary)]);
}

export function pageButtons(page: number, pages: number): ButtonRow[] {
  if (pages <= 1) return [];
  return rows([
    button(articlesPageId(Math.max(1, page - 1)), "◀ Newer", ButtonStyle.Secondary, page <= 1),
    button(articlesPageId(Math.min(pages, page + 1)), "Older ▶", ButtonStyle.Secondary, page >= pages),
  ]);
}
