import { articlePageLink } from "../../library.ts";
import { html, type Html } from "../html.ts";

const NAV: [string, string][] = [
  ["/", "Search"],
  ["/gaps", "Unanswered topics"],
  ["/corrections", "Corrections"],
  ["/feeds", "Feeds"],
  ["/feedback", "Feedback"],
];

/** Every page: one stylesheet, no script, a skip link and the staff navigation. */
export function page(title: string, body: Html, options: { nav?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · newsroom-quotes</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">${options.nav === false ? html`<span class="brand">newsroom-quotes</span>` : html`<nav aria-label="Staff pages"><ul>${NAV.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></nav>`}</header>
<main id="main">
${body}
</main>
</body>
</html>
`;
}

export function refusalPage(status: 401 | 403 | 404 | 400 | 500, why: string): Html {
  const title = { 400: "Not understood", 401: "Staff only", 403: "Refused", 404: "Not found", 500: "Something went wrong" }[status];
  return page(title, html`<h1>${title}</h1><p>${why}</p>`, { nav: status !== 401 && status !== 403 });
}

/** "V7N · 2025-12-04" (or "undated"). */
export function byline(outlet: string | null, published: string | null): string {
  return [outlet, published ? published.slice(0, 10) : "undated"].filter(Boolean).join(" · ");
}

/** The address of an article page at a paragraph, a range of it marked. */
export function articleHref(articleId: string, paragraph?: number, range?: { start: number; end: number }): string {
  return paragraph === undefined ? `/articles/${encodeURIComponent(articleId)}` : articlePageLink("", articleId, paragraph, range);
}
