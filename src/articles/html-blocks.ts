/**
 * DOM -> paragraph blocks, and the filter that removes page furniture from them. The walk is
 * iterative (an explicit stack), so a deep tree cannot overflow the call stack, and each node is
 * visited once.
 */

import { normalizeDate } from "./dates.ts";

/** The slice of a DOM node this module reads; linkedom's nodes satisfy it. */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}

export interface Block {
  text: string;
  /** Innermost block element the text sat in, upper case ("P", "LI", "H2", …). */
  tag: string;
  /** Characters of the text that were inside links, for link-density filtering. */
  linkChars: number;
}

/**
 * "content": the node is Readability's extracted article, so all text counts.
 * "fallback": the node is a whole <body>; only text inside paragraph-like elements counts, and
 * elements whose class/id says navigation, ads, sharing… are skipped.
 */
export type WalkMode = "content" | "fallback";

const BLOCK = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "DD", "DETAILS", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION",
  "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P",
  "PRE", "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TH", "THEAD", "TR", "UL",
]);
/** Never article text: code, media, controls, and page chrome elements. */
const SKIP = new Set([
  "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG", "MATH", "IFRAME", "OBJECT", "EMBED", "CANVAS", "VIDEO", "AUDIO",
  "PICTURE", "IMG", "BUTTON", "SELECT", "INPUT", "TEXTAREA", "FORM", "NAV", "FOOTER", "ASIDE", "HEADER", "FIGURE",
  "FIGCAPTION", "MENU", "DIALOG", "HEAD", "TITLE", "LINK", "META",
]);
/** What "all paragraphs in the body" means for the fallback. */
const COLLECT = new Set(["P", "LI", "BLOCKQUOTE", "H2", "H3", "H4", "H5", "H6", "DD"]);
const CHROME = /(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|ad|ads|advert|advertisement|promo|newsletter|subscribe|subscription|share|sharing|social|related|comments?|cookies?|banner|breadcrumbs?|masthead|popup|modal|paywall|byline)(?:$|[\s_-])/i;

export function collectBlocks(root: DomNode, mode: WalkMode): Block[] {
  const blocks: Block[] = [];
  const blockTags: string[] = ["BODY"];
  let buf = "";
  let linkChars = 0;
  let linkDepth = 0;
  let collectDepth = 0;

  const flush = () => {
    const text = buf.replace(/\s+/g, " ").trim();
    if (text !== "") blocks.push({ text, tag: blockTags[blockTags.length - 1]!, linkChars });
    buf = "";
    linkChars = 0;
  };

  const stack: { node: DomNode; exit: boolean }[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    const tag = node.nodeName.toUpperCase();
    if (exit) {
      if (tag === "A") linkDepth--;
      if (COLLECT.has(tag)) collectDepth--;
      if (BLOCK.has(tag)) {
        flush();
        blockTags.pop();
      }
      continue;
    }
    if (node.nodeType === 3) {
      if (mode === "content" || collectDepth > 0) {
        const t = node.textContent ?? "";
        buf += t;
        if (linkDepth > 0) linkChars += t.trim().length;
      }
      continue;
    }
    if (node.nodeType !== 1) continue;
    if (node !== root && (SKIP.has(tag) || isHidden(node) || (mode === "fallback" && isChrome(node)))) continue;
    if (tag === "BR") {
      buf += " ";
      continue;
    }
    if (BLOCK.has(tag)) {
      flush();
      blockTags.push(tag);
    }
    if (tag === "A") linkDepth++;
    if (COLLECT.has(tag)) collectDepth++;
    stack.push({ node, exit: true });
    // Sibling links, not childNodes: linkedom builds a new childNodes array on every access.
    const kids: DomNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) kids.push(c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  }
  flush();
  return blocks;
}

function isHidden(node: DomNode): boolean {
  const attr = (n: string) => node.getAttribute?.(n) ?? null;
  if (attr("hidden") !== null || attr("aria-hidden") === "true") return true;
  const style = attr("style");
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function isChrome(node: DomNode): boolean {
  const names = `${node.getAttribute?.("class") ?? ""} ${node.getAttribute?.("id") ?? ""}`;
  const role = node.getAttribute?.("role") ?? "";
  return CHROME.test(names) || /^(?:navigation|banner|contentinfo|complementary|dialog)$/i.test(role);
}

/**
 * Short blocks that are page furniture rather than reporting. Only short blocks are tested, so a
 * real paragraph that mentions subscribing or advertising is never dropped.
 */
const FURNITURE: RegExp[] = [
  /^(?:advertisement|advert|ad|sponsored(?: content)?|promoted|paid content)$/i,
  /^(?:story )?continues? (?:below|after)/i,
  /^(?:subscribe|sign up|sign in|log ?in)\b/i,
  /\b(?:sign up|subscribe|get)\b.*\bnewsletters?\b|\bnewsletters?\b.*\b(?:inbox|sign up|subscribe)\b/i,
  /^(?:share|tweet|email|print|copy link|save|comment)s?(?: (?:this|the|on|via)\b.*)?$/i,
  /^share this (?:article|story|page)/i,
  /^(?:read|see) (?:more|also|next)\b/i,
  /^(?:related|recommended|trending|most (?:read|popular|viewed)|more (?:on|from|stories)|you (?:may|might) also like)\b/i,
  /^follow (?:us|@)/i,
  /^(?:©|\(c\)|copyright)\s/i,
  /all rights reserved/i,
  /we use cookies|cookie (?:policy|settings|preferences)/i,
  /^(?:click|tap) here\b/i,
  /^(?:updated|published|posted|last updated|first published)\b[^.]{0,60}$/i,
  /^(?:photo|image|picture|video|graphic)(?: credit)?\s*[:|]/i,
  /^(?:reporting by|editing by|writing by)\b/i,
  // Seen on the extraction benchmark's pages (npm run bench -- extraction): gallery counters,
  // caption toggles, section teasers, syndication notes, and a page's own address as a paragraph.
  /^(?:image|photo|slide)?\s*\d+\s+of\s*\/?\s*\d*$/i,
  /^(?:caption|close|highlights|more:?|breaking news(?: emails)?|recent articles|popular this week|don'?t miss|loading content\s*\.*)$/i,
  /^via \S+\.[a-z]{2,}$/i,
  /^https?:\/\/\S+$/i,
  /\((?:image|photo|picture):\s*[^)]{1,40}\)$/i,
];
const SHORT = 160;
/** A block that is only a date or time stamp ("2 March", "Wed, Dec 4, 2025 10:31 GMT", "3 hours ago"). */
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const WEEKDAY = String.raw`(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+`;
const CLOCK = String.raw`(?:\s*[,·|•-]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?`;
const DATE_ONLY = new RegExp(
  String.raw`^(?:(?:${WEEKDAY})?(?:\d{1,2}\s+${MONTH}|${MONTH}\s+\d{1,2})(?:,?\s+\d{4})?${CLOCK}|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)$`,
  "i",
);
const BYLINE = /^by\s+\p{Lu}[\p{L}.'’ -]*(?:(?:,| and) \p{Lu}[\p{L}.'’ -]*)*(?:[,|–—-].{0,40})?$/u;

export interface FurnitureContext {
  title?: string;
  author?: string;
}

export function dropFurniture(blocks: Block[], context: FurnitureContext): string[] {
  const title = fold(context.title);
  const author = fold(context.author);
  const out: string[] = [];
  for (const b of blocks) {
    const t = b.text;
    const folded = fold(t);
    if (b.tag === "H1" || (title !== "" && folded === title)) continue;
    if (t.length < SHORT && FURNITURE.some((re) => re.test(t))) continue;
    if (t.length < 60 && (DATE_ONLY.test(t) || normalizeDate(t) !== undefined)) continue;
    if (t.length < 100 && BYLINE.test(t)) continue;
    if (author !== "" && (folded === author || folded === `by ${author}`)) continue;
    // A short block that is mostly links is a menu, a tag list or a "related" teaser.
    if (t.length < 300 && b.linkChars >= t.length * 0.8) continue;
    if (out.length > 0 && out[out.length - 1] === t) continue;
    out.push(t);
  }
  return out;
}

function fold(s: string | undefined): string {
  return (s ?? "").replace(/\s+/g, " ").trim().toLowerCase();
}
