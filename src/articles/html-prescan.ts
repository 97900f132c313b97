/**
 * A linear pass over raw HTML before any DOM is built. News pages are mostly scripts, styles and
 * inline SVG; cutting them first keeps the DOM small, guarantees they never contribute text, and
 * lets the nesting depth be measured before a parser that slows down on deep trees ever sees it.
 */

import { MAX_HTML_DEPTH } from "./limits.ts";

export interface Prescan {
  /** The page without comments, raw-text / non-content elements, and inline data: URIs. */
  html: string;
  /** Bodies of <script type="application/ld+json">, the structured metadata news sites publish. */
  jsonLd: string[];
  /** Approximate deepest tag nesting (stops counting past MAX_HTML_DEPTH + 1). */
  depth: number;
}

/** Elements whose content is never article text; scripts and styles are raw text to the parser. */
const REMOVED = "script|style|noscript|template|svg|math|iframe|textarea|xmp|object|canvas";
const MAX_JSON_LD_CHARS = 512 * 1024;

export function prescanHtml(raw: string): Prescan {
  const jsonLd: string[] = [];
  const parts: string[] = [];
  // One sticky scan over "<!--" and opening tags of removed elements; every search moves forward.
  const opener = new RegExp(`<!--|<(${REMOVED})\\b([^<>]*)>`, "gi");
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = opener.exec(raw)) !== null) {
    parts.push(raw.slice(from, m.index));
    let end: number;
    if (m[0] === "<!--") {
      const close = raw.indexOf("-->", m.index + 4);
      end = close === -1 ? raw.length : close + 3;
    } else {
      const tag = m[1]!.toLowerCase();
      const closer = new RegExp(`</${tag}\\s*>`, "gi");
      closer.lastIndex = opener.lastIndex;
      const c = closer.exec(raw);
      // An unclosed <script> swallows the rest of the page in a browser too.
      end = c ? c.index + c[0].length : raw.length;
      if (tag === "script" && /application\/ld\+json/i.test(m[2] ?? "")) {
        const body = raw.slice(opener.lastIndex, c ? c.index : raw.length);
        if (body.length <= MAX_JSON_LD_CHARS) jsonLd.push(body);
      }
    }
    from = end;
    opener.lastIndex = end;
  }
  parts.push(raw.slice(from));
  // "Save page as… complete" inlines images as data: URIs, megabytes of attribute text.
  const html = parts.join("").replace(/(\s(?:src|srcset|href|poster)\s*=\s*)(["'])data:[^"']*\2/gi, "$1$2$2");
  return { html, jsonLd, depth: nestingDepth(html) };
}

const VOID = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
]);
/** Closed implicitly by the next sibling, so they do not deepen the tree however they are written. */
const IMPLIED_END = new Set([
  "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "rb", "rt", "rp",
  "colgroup", "caption", "html", "head", "body",
]);

/**
 * Open-minus-close count of tags, approximately as an HTML parser nests them. `[^<>]*` stops at the
 * next angle bracket, so each match attempt is bounded and the whole scan is linear.
 */
function nestingDepth(html: string): number {
  const tag = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>/g;
  let depth = 0;
  let max = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(html)) !== null) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name) || IMPLIED_END.has(name)) continue;
    if (m[1] === "/") {
      if (depth > 0) depth--;
    } else if (!m[0].endsWith("/>")) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > MAX_HTML_DEPTH) break;
      }
    }
  }
  return max;
}
