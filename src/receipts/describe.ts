import type { Receipt, ReceiptCitation } from "./types.ts";

/**
 * The receipt's verdicts in words, one wording for every face: a staff member comparing the
 * terminal with Discord must read the same finding, not two paraphrases of it.
 */
export function describeToday(c: ReceiptCitation): string {
  switch (c.today) {
    case "same":
      return "reads the same today";
    case "moved":
      return `reads the same, now as paragraph ${c.now}`;
    case "changed":
      return `no longer reads the same${c.quoteStillThere === null ? "" : c.quoteStillThere ? " (the quoted words are still in it)" : " (the quoted words are no longer in it)"}`;
    case "gone":
      return "the article is no longer in the coverage";
  }
}

/** Where the answer was given: face, and for Discord the server and channel ids. */
export function describeOrigin(r: Pick<Receipt, "face" | "guildId" | "channelId">): string {
  if (r.face === "discord") return `Discord, server ${r.guildId ?? "-"}, channel ${r.channelId ?? "-"}`;
  return r.face === "cli" ? "npm run ask" : "terminal chat";
}
