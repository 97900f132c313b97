import { embedLength, type APIEmbed, type APIEmbedField } from "discord.js";
import { isHttpUrl, oneLine, plural, safeSlice, truncateAtWord } from "../common/text.ts";
import { dayOf, describeRange, whoseWords, type Answer, type Citation, type Quote } from "../library.ts";
import type { ArticlePage, ArticleSummary, IngestSummary, StoredParagraph } from "../library-types.ts";
import { answerButtons, forgetButtons, pageButtons, type ButtonRow } from "./buttons.ts";

/**
 * Everything the bot says, as message payloads that fit Discord's limits whatever the input:
 * long titles, long quotes, URLs, Markdown and mentions inside quoted text. Pure functions; the
 * caller sends them as they are.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedsTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
} as const;

/** Nothing the bot sends pings anyone: not @everyone, not roles, not users, not the replied-to author. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false };

export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
  files?: { name: string; attachment: Buffer }[];
  allowedMentions: typeof NO_MENTIONS;
}

const COLOR_ANSWER = 0x2f6fde;
const COLOR_CLOSEST = 0xc98a12;
const COLOR_SOURCE = 0x5b6b7f;
const ELLIPSIS = "…";

// ---- Markdown escaping ----------------------------------------------------------------------------

/**
 * Escapes text so Discord shows it as written: no formatting, no mentions, no masked links. A
 * backslash before punctuation is Discord's escape; `unescapeMarkdown` reverses it exactly.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let s = line.replace(/[\\*_~`|<@[\]]/g, "\\$&");
      // Only meaningful at the start of a line: headings, quotes, lists, subtext.
      s = s.replace(/^(\s*)([>#+-])/, "$1\\$2").replace(/^(\s*\d+)\./, "$1\\.");
      return s;
    })
    .join("\n");
}

/**
 * Member input, or a stored title, inside a sentence the bot says: one line, bounded, escaped, and
 * never a link. Escaping alone leaves `[text](https://evil.example)` showing its URL, which Discord
 * still makes clickable; a zero-width space after the scheme's colon stops that. Every echo goes
 * through here, so that a member cannot make the bot post a link or a ping they wrote.
 */
export function echo(text: string, max = 100): string {
  return unlink(escapedTruncate(oneLine(text), max));
}

/** Addresses in text the bot says (a refusal naming a feed's links) shown, never made links. */
export function unlink(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, "$1:\u200b");
}

export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_~`|<@[\]>#+\-.])/g, "$1");
}

// ---- trimming ------------------------------------------------------------------------------------


/**
 * The longest prefix of `text` whose escaped form plus "…" fits `max` characters, cut between
 * words (mid-word only when a single word is longer than the room). `cut` says whether it was cut;
 * the prefix is always verbatim text of the original.
 */
export function fitEscaped(text: string, max: number): { text: string; cut: boolean } {
  if (escapeMarkdown(text).length <= max) return { text, cut: false };
  const room = max - ELLIPSIS.length;
  if (room <= 0) return { text: "", cut: true };
  // Word ends: positions after which a cut leaves whole words.
  const ends: number[] = [];
  for (const m of text.matchAll(/\S+/g)) ends.push(m.index + m[0].length);
  let lo = 0;
  let hi = ends.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (escapeMarkdown(text.slice(0, ends[mid])).length <= room) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best >= 0) return { text: text.slice(0, ends[best]), cut: true };
  // Not even the first word fits: cut inside it (marked with the ellipsis all the same).
  let n = Math.min(text.length, room);
  while (n > 0 && escapeMarkdown(safeSlice(text, n)).length > room) n--;
  return { text: safeSlice(text, n).trimEnd(), cut: true };
}

/** Escaped text of at most `max` chars, cut between words with "…" when needed. */
export function escapedTruncate(text: string, max: number): string {
  const fit = fitEscaped(text, max);
  return `${escapeMarkdown(fit.text)}${fit.cut ? ELLIPSIS : ""}`;
}

/** Like fitEscaped, but keeps the end of the text (for the paragraph before a quoted one). */
export function fitEscapedTail(text: string, max: number): { text: string; cut: boolean } {
  if (escapeMarkdown(text).length <= max) return { text, cut: false };
  const room = max - ELLIPSIS.length;
  const starts: number[] = [];
  for (const m of text.matchAll(/\S+/g)) starts.push(m.index);
  let lo = 0;
  let hi = starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (escapeMarkdown(text.slice(starts[mid])).length <= room) {
      best = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  if (best >= 0 && room > 0) return { text: text.slice(starts[best]), cut: true };
  return { text: "", cut: true };
}

// ---- answers -------------------------------------------------------------------------------------

/** The message for an answer (answered: embed with quotes and sources; not_found: plain text). */
/**
 * An answer, or the closest coverage: both quote verbatim with numbered citations, but the closest
 * tier is labelled above the message and on the embed, in another colour, so that nobody reads a
 * loosely related quote as the answer.
 */
export const CLOSEST_LABEL = "Closest coverage — this may not answer your question";

export function renderAnswer(answer: Answer, receiptId?: string): MessagePayload {
  if (answer.status === "not_found" || answer.quotes.length === 0) return renderNotFound(answer, receiptId);
  const full = quotesBlock(answer.quotes, answer.citations, Infinity);
  // The least trimmed context that leaves the quotes as much room as they can have at all.
  const needed = Math.min(full.length, LIMITS.embedDescription);
  let chosen = answerContext(answer, MAX_LEVEL, receiptId);
  for (let level = 0; level < MAX_LEVEL; level++) {
    const candidate = answerContext(answer, level, receiptId);
    if (candidate.room >= needed) {
      chosen = candidate;
      break;
    }
  }
  const description = full.length <= chosen.room ? full : quotesBlock(answer.quotes, answer.citations, chosen.room);
  const closest = answer.status === "closest" ? { content: `**${CLOSEST_LABEL}.** The quotes are verbatim, but I'm not confident they answer it; the sources below show where to read more.` } : {};
  return { ...closest, embeds: [{ ...chosen.embed, description }], components: answerButtons(answer), allowedMentions: NO_MENTIONS };
}

const MAX_LEVEL = 4;

/** The answer embed without its quotes, with context trimmed to `level` (0 = everything), and the room left for the quotes. */
function answerContext(answer: Answer, level: number, receiptId?: string): { embed: APIEmbed; room: number } {
  const titleMax = [256, 256, 120, 0, 0][level]!;
  const sourceTitleMax = [200, 200, 120, 60, 40][level]!;
  const withLinks = level <= 1;
  // The receipt id stays at every level: it is how staff trace the answer later.
  const asOf = answer.asOf ? `As of ${answer.asOf}` : "";
  const footer = [level <= 2 ? asOf : "", level === 0 ? answerFooter(answer) : level <= 2 ? `Confidence ${answer.confidence.toFixed(2)}` : "", receiptId ? `receipt ${receiptId}` : ""].filter(Boolean).join(" · ");
  const closest = answer.status === "closest";
  const embed: APIEmbed = { color: closest ? COLOR_CLOSEST : COLOR_ANSWER };
  if (closest) embed.author = { name: CLOSEST_LABEL };
  if (titleMax > 0) embed.title = truncateAtWord(oneLine(answer.question), titleMax);
  embed.fields = citationFields(answer.citations, sourceTitleMax, withLinks);
  if (footer) embed.footer = { text: truncateAtWord(footer, LIMITS.footer) };
  return { embed, room: Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - embedLength(embed)) };
}

function answerFooter(a: Answer): string {
  const s = a.searched;
  const scope = `${plural(s.articles, "article")}${describeRange(a.searched.published)}, ${plural(s.paragraphs, "paragraph")}`;
  const confidence = `Confidence ${a.confidence.toFixed(2)}${a.status === "closest" ? " (below the answer threshold)" : ""}`;
  return `${confidence} · searched ${scope}${corrections(a)} · ${Math.round(a.timings.totalMs)} ms · quotes are verbatim`;
}

/** " for zelensky as zelenskiy": what was searched in the coverage's spelling, as the member typed it. */
function corrections(a: Answer): string {
  const c = a.searched.corrected;
  return c.length ? ` (searched ${c.slice(0, 3).map((x) => `${x.from} as ${x.to}`).join(", ")})` : "";
}

/** One field per citation: "[1] Title" / "Outlet · date · paragraph 9" and a link to the quoted words. */
export function citationFields(citations: Citation[], titleMax: number, withLinks: boolean): APIEmbedField[] {
  const shown = citations.length > LIMITS.fields ? citations.slice(0, LIMITS.fields - 1) : citations;
  const fields = shown.map((c) => {
    const prefix = `[${c.n}] `;
    const name = prefix + escapedTruncate(oneLine(c.title) || c.articleId, Math.min(titleMax, LIMITS.fieldName) - prefix.length);
    const copies = c.alsoIn?.length ? `also ran in ${c.alsoIn.map((x) => `${oneLine(x.title)} (${date(x.published) ?? "undated"})`).join("; ")}` : "";
    const meta = escapeMarkdown(truncateAtWord([c.outlet && oneLine(c.outlet), date(c.published) ?? "undated", `paragraph ${c.paragraph}`, copies].filter(Boolean).join(" · "), 300));
    const link = withLinks ? citationLinks(c) : "";
    const value = link && meta.length + 1 + link.length <= LIMITS.fieldValue ? `${meta}\n${link}` : meta;
    return { name, value: value.slice(0, LIMITS.fieldValue) };
  });
  if (shown.length < citations.length) fields.push({ name: "More sources", value: `${citations.length - shown.length} more not listed here.` });
  return fields;
}

/**
 * The original at the quoted words (or the article), and the staff web page at the paragraph
 * (WEB_PUBLIC_URL): the only way to a citation of an article with no URL of its own.
 */
function citationLinks(c: Citation): string {
  const original = c.link ?? c.url;
  const links = original ? [markdownLink(c.link ? "Open at the quoted words" : "Open the article", original)] : [];
  if (c.verify) links.push(markdownLink(original ? "Verify" : "Open at the quoted paragraph", c.verify));
  return links.filter(Boolean).join(" · ");
}

/**
 * Quotes as block quotes with their citation numbers, each with whose words it is on the line
 * below (kept whole when a quote is cut), to at most `max` chars.
 */
export function quotesBlock(quotes: Quote[], citations: Citation[], max: number): string {
  const speaker = (q: Quote) => {
    const line = whoseWords(q, citations[q.citation - 1]);
    return line ? `\n*— ${escapeMarkdown(line)}*` : "";
  };
  const render = (q: Quote, text: string, cut: boolean) => `> ${escapeMarkdown(text).split("\n").join("\n> ")}${cut ? ELLIPSIS : ""} **[${q.citation}]**${speaker(q)}`;
  const full = quotes.map((q) => render(q, q.text, false));
  const sep = "\n\n";
  const total = (parts: string[]) => parts.join(sep).length;
  if (total(full) <= max) return full.join(sep);
  // Share the room fairly: short quotes stay whole, long ones are cut to the same length.
  const overhead = quotes.map((q, i) => full[i]!.length - escapeMarkdown(q.text).length + ELLIPSIS.length);
  let shown = quotes.length;
  for (;;) {
    const room = max - sep.length * (shown - 1) - overhead.slice(0, shown).reduce((a, b) => a + b, 0);
    if (room < 20 * shown && shown > 1) {
      shown--;
      continue;
    }
    const lengths = quotes.slice(0, shown).map((q) => escapeMarkdown(q.text).length);
    const caps = fairShares(lengths, Math.max(0, room));
    const parts = quotes.slice(0, shown).map((q, i) => {
      const fit = fitEscaped(q.text, caps[i]! + (lengths[i]! <= caps[i]! ? 0 : ELLIPSIS.length));
      return render(q, fit.text, fit.cut);
    });
    // fitEscaped may leave a little slack but never overshoots; guard anyway.
    const text = parts.join(sep);
    return text.length <= max ? text : truncateAtWord(text, max);
  }
}

/** Water-filling: each length gets min(length, share), the leftover of short ones going to long ones. */
function fairShares(lengths: number[], room: number): number[] {
  const caps = lengths.map(() => 0);
  const order = lengths.map((l, i) => [l, i] as const).sort((a, b) => a[0] - b[0]);
  let left = room;
  order.forEach(([l, i], k) => {
    const share = Math.floor(left / (order.length - k));
    caps[i] = Math.min(l, share);
    left -= caps[i]!;
  });
  return caps;
}

/** not_found: says so plainly, what was searched, and names the closest paragraphs without quoting them. */
export function renderNotFound(answer: Answer, receiptId?: string): MessagePayload {
  const s = answer.searched;
  const scope = s.articleFilter ? "the chosen article" : `${plural(s.articles, "article")}${describeRange(answer.searched.published)}`;
  const terms = s.terms.length ? ` for: ${truncateAtWord(s.terms.join(", "), 300)}` : "";
  const head = [
    "I couldn't find an answer to that in the coverage, so I won't guess.",
    escapeMarkdown(`I searched ${scope} (${plural(s.paragraphs, "paragraph")})${terms}.`),
  ];
  const lines = [...head];
  if (answer.citations.length > 0) {
    lines.push("The closest coverage I found (it does not answer the question):");
    for (const c of answer.citations.slice(0, 10)) {
      const meta = [c.outlet && oneLine(c.outlet), date(c.published) ?? "undated", `paragraph ${c.paragraph}`].filter(Boolean).join(", ");
      lines.push(`• *${escapeMarkdown(truncateAtWord(oneLine(c.title) || c.articleId, 150))}* (${escapeMarkdown(truncateAtWord(meta, 150))})`);
    }
  }
  const receipt = receiptId ? `\n-# receipt ${receiptId}` : "";
  return { content: fitLines(lines, LIMITS.content - receipt.length) + receipt, components: answerButtons(answer), allowedMentions: NO_MENTIONS };
}

// ---- paragraphs ----------------------------------------------------------------------------------

/**
 * A paragraph in full, with neighbours for context when given. Neighbours are cut first; a
 * paragraph too long for one message is also attached whole as a text file.
 */
export function renderParagraph(paragraphs: StoredParagraph[], target: number): MessagePayload {
  const main = paragraphs.find((p) => p.paragraph === target);
  if (!main) return plain(`Paragraph ${target} is not in that article.`);
  const before = paragraphs.filter((p) => p.paragraph < target);
  const after = paragraphs.filter((p) => p.paragraph > target);
  const embed: APIEmbed = { color: COLOR_SOURCE, title: truncateAtWord(oneLine(main.title) || main.articleId, LIMITS.embedTitle) };
  if (main.url && isHttpUrl(main.url) && main.url.length <= 2048) embed.url = main.url;
  embed.footer = {
    text: truncateAtWord([main.outlet && oneLine(main.outlet), date(main.published), `paragraph ${target} of ${main.of}`, `article ${main.articleId}`].filter(Boolean).join(" · "), 500),
  };
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - embedLength(embed));
  const label = (p: StoredParagraph) => `**¶${p.paragraph}**`;
  const mainHead = `${label(main)}\n> `;
  const mainBody = escapeMarkdown(main.text).split("\n").join("\n> ");
  const files: { name: string; attachment: Buffer }[] = [];
  let mainBlock = `${mainHead}${mainBody}`;
  if (mainBlock.length > room) {
    const note = `\n*The paragraph is too long for one message: it is attached in full as paragraph-${target}.txt.*`;
    const fit = fitEscaped(main.text, room - mainHead.length - note.length - 20);
    mainBlock = `${mainHead}${escapeMarkdown(fit.text).split("\n").join("\n> ")}${ELLIPSIS}${note}`;
    files.push({ name: `paragraph-${target}.txt`, attachment: Buffer.from(`${main.title}\nParagraph ${target} of ${main.of}${main.url ? `\n${main.url}` : ""}\n\n${main.text}\n`, "utf8") });
  }
  // Neighbours share what is left; the one before keeps its end, the one after its beginning.
  const context = (p: StoredParagraph, max: number): string => {
    const head = `*¶${p.paragraph}* `;
    if (max - head.length < 40) return "";
    const text = oneLine(p.text);
    if (p.paragraph > target) {
      const fit = fitEscaped(text, max - head.length);
      return `${head}${escapeMarkdown(fit.text)}${fit.cut ? ELLIPSIS : ""}`;
    }
    const fit = fitEscapedTail(text, max - head.length);
    return `${head}${fit.cut ? ELLIPSIS : ""}${escapeMarkdown(fit.text)}`;
  };
  const neighbours = [...before, ...after];
  let left = room - mainBlock.length - 2 * neighbours.length;
  const blocks = new Map<number, string>();
  neighbours.forEach((p, i) => {
    const block = context(p, Math.floor(left / (neighbours.length - i)));
    left -= block.length;
    if (block) blocks.set(p.paragraph, block);
  });
  const beforeBlocks = before.flatMap((p) => blocks.get(p.paragraph) ?? []);
  const afterBlocks = after.flatMap((p) => blocks.get(p.paragraph) ?? []);
  embed.description = [...beforeBlocks, mainBlock, ...afterBlocks].join("\n\n");
  return { embeds: [embed], ...(files.length ? { files } : {}), allowedMentions: NO_MENTIONS };
}

// ---- coverage list, ingest, help, errors ---------------------------------------------------------

export const ARTICLES_PAGE_SIZE = 10;

export function renderArticleList({ articles, total, undated, page, pages }: ArticlePage): MessagePayload {
  if (total === 0) return plain("The coverage is empty. A moderator can add articles with /ingest.");
  const start = (page - 1) * ARTICLES_PAGE_SIZE;
  const lines = articles.map((a, i) => {
    const meta = [a.outlet && oneLine(a.outlet), a.published ? date(a.published) : "undated"].filter(Boolean).join(", ");
    return `**${start + i + 1}.** ${escapeMarkdown(truncateAtWord(oneLine(a.title) || a.id, 200))} — ${escapeMarkdown(truncateAtWord(meta, 80))} · ${a.paragraphs} ¶ · \`${truncateAtWord(a.id, 80).replace(/`/g, "'")}\``;
  });
  const order = undated === 0 ? "newest first" : undated === total ? "none dated, latest added first" : `newest first by publication date, ${undated} undated last`;
  const embed: APIEmbed = {
    color: COLOR_SOURCE,
    title: `Coverage: ${plural(total, "article")}, ${order}`,
    description: fitLines(lines, LIMITS.embedDescription),
    footer: { text: `Page ${page} of ${pages} · /source article: paragraph: shows any paragraph in full` },
  };
  return { embeds: [embed], components: pageButtons(page, pages), allowedMentions: NO_MENTIONS };
}

/** What /forget asks before removing anything: the exact article, so a typed word cannot remove the wrong one. */
export function renderForgetConfirmation(a: ArticleSummary): MessagePayload {
  const meta = [a.outlet && oneLine(a.outlet), a.published ? date(a.published) : "undated", `${plural(a.paragraphs, "paragraph")}`].filter(Boolean).join(" · ");
  return {
    content: `Remove this article from the coverage? It will not be quoted any more.\n**${echo(a.title, 300)}**\n${escapeMarkdown(meta)} · id \`${truncateAtWord(a.id, 120).replace(/`/g, "'")}\``,
    components: forgetButtons(a.id),
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * What an /ingest did, failures first (where, and what to do), since a moderator must act on those
 * and a long list of "Added" lines once hid them past Discord's 2,000-character cut. When the whole
 * report does not fit, it is attached as a text file as well.
 */
export function renderIngestSummary(label: string, s: IngestSummary): MessagePayload {
  const counts =
    `${s.failed.length ? `${s.failed.length} failed, ` : ""}added ${s.added.length}, replaced ${s.replaced.length}, unchanged ${s.unchanged.length}` +
    ` (${s.words.toLocaleString("en-US")} words in ${(s.ms / 1000).toFixed(1)} s).`;
  const beside = new Map(s.keptBeside.map((k) => [k.id, k.existing.title]));
  const entries: { label: string; text: string }[] = [
    ...s.failed.map((f) => ({ label: "Failed", text: `${oneLine(f.where)}: ${oneLine(f.reason)}` })),
    ...s.added.map((id) => {
      const existing = beside.get(id);
      const note = existing === undefined ? "" : ` (beside ${oneLine(existing)} from a file of the same name: too different to be a new version of it)`;
      return { label: "Added", text: `${oneLine(s.titles[id] ?? id)}${note}` };
    }),
    ...s.replacements.map((r) => ({ label: "Replaced", text: `${oneLine(r.replaced.title)} -> ${oneLine(r.title)}` })),
  ];
  const tail = s.added.length + s.replaced.length > 0 ? ["New questions can use them right away."] : [];
  const lines = [`${echo(label, 120)}: ${escapeMarkdown(counts)}`, ...s.warnings.map((w) => `**${echo(w, 600)}**`), ...entries.map((e) => `• ${e.label}: ${echo(e.text, e.label === "Added" ? 120 : 400)}`), ...tail];
  const content = fitLines(lines, LIMITS.content - 60);
  if (content.split("\n").length >= lines.length && !content.endsWith(ELLIPSIS)) return { content, allowedMentions: NO_MENTIONS };
  const report = [`${oneLine(label)}: ${counts}`, ...s.warnings, "", ...entries.map((e) => `${e.label}: ${e.text}`), ""].join("\n");
  return {
    content: `${content}\nThe full report is attached as ingest-report.txt.`,
    files: [{ name: "ingest-report.txt", attachment: Buffer.from(report, "utf8") }],
    allowedMentions: NO_MENTIONS,
  };
}

export const HELP_TEXT = [
  "**I answer questions about this newsroom's coverage with verbatim quotes, numbered [1], [2], and the paragraphs they come from.**",
  "• `/ask question:` — ask anything; `article:` searches one story, `since:` / `until:` (YYYY-MM-DD) the days it ran. Or @mention me.",
  "• Each quote says whose words it is (our reporting or a source's). Buttons show a cited paragraph in full; 👍 / 👎 tell the newsroom if it helped.",
  "• `/source article: paragraph:` — a paragraph with its neighbours. `/articles` — the coverage, newest first.",
  "• Moderators: `/ingest` adds articles (files, .zip, or a page's `url:`), `/feeds` follows RSS/Atom feeds, `/forget` removes one.",
  "• Staff: `/check claim:` checks a statement; `/receipt id:` traces an answer; `/gaps` lists what the coverage did not answer; `/corrections` what changed; `/web` a private link to the verification pages.",
  "When the coverage doesn't answer a question, I say so instead of guessing.",
].join("\n");

export function plain(text: string, components?: ButtonRow[]): MessagePayload {
  return { content: truncateAtWord(text, LIMITS.content), ...(components ? { components } : {}), allowedMentions: NO_MENTIONS };
}

export function apology(errorId: string): MessagePayload {
  return plain(`Sorry, something went wrong on my side. If it keeps happening, give a moderator this error id: ${errorId}.`);
}

// ---- helpers -------------------------------------------------------------------------------------

/** Joins lines while they fit, then says how many were left out. Lines are never cut, except a first line that alone is too long. */
export function fitLines(lines: string[], max: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = out.length === 0 ? truncateAtWord(lines[i]!, max - 20) : lines[i]!;
    const rest = lines.length - i - 1;
    const length = [...out, line].join("\n").length;
    if (length + (rest > 0 ? 20 : 0) <= max) {
      out.push(line);
      continue;
    }
    out.push(`…and ${lines.length - i} more.`);
    break;
  }
  return truncateAtWord(out.join("\n"), max);
}

/** "2025-12-04" from an ISO date or date-time; other strings as they are. */
function date(published: string | null): string | null {
  return published ? (dayOf(published) ?? oneLine(published).slice(0, 40)) : null;
}

/** A Markdown link whose URL cannot break out of the link syntax; none for URLs too long to be useful. */
function markdownLink(label: string, url: string): string {
  if (!isHttpUrl(url) || url.length > 900) return "";
  const safe = url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${label}](${safe})`;
}
