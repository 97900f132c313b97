/**
 * HTML built from templates whose every interpolation is escaped unless it is already Html: stored
 * article text, members' questions and feed titles can hold any markup, and none of it may become
 * markup on a page. The one way to put raw markup in is another `html` template.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((p, i) => (out += render(p) + strings[i + 1]!));
  return new Html(out);
}

/**
 * A paragraph's text with ranges marked (`<mark>`), each range [start, end) in string offsets as
 * quotes record them; overlapping or out-of-range ranges are skipped, not guessed at.
 */
export function marked(text: string, ranges: { start: number; end: number }[]): Html {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Part[] = [];
  let at = 0;
  for (const r of sorted) {
    if (r.start < at || r.end > text.length || r.end <= r.start) continue;
    out.push(text.slice(at, r.start), html`<mark>${text.slice(r.start, r.end)}</mark>`);
    at = r.end;
  }
  out.push(text.slice(at));
  return html`${out}`;
}

/** An address from stored data, as a link target only when it is http(s): never `javascript:` or `data:`. */
export function webAddress(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}
