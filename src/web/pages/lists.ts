import type { Correction, Feed, FeedbackReport, GapReport } from "../../library-types.ts";
import { html, type Html } from "../html.ts";
import { articleHref, page } from "./layout.ts";

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "–");

function daysForm(action: string, days: number, max: number): Html {
  return html`<form method="get" action="${action}"><label for="days">Days</label> <input id="days" name="days" type="number" min="1" max="${max}" value="${days}"> <button type="submit">Show</button></form>`;
}

export function gapsPage(report: GapReport, max: number): Html {
  return page("Unanswered topics", html`<h1>Unanswered topics</h1>${daysForm("/gaps", report.days, max)}
<p>Last ${report.days} days (since ${report.since.slice(0, 10)}): ${report.unanswered} unanswered (declined or closest-coverage questions, and answers rated not helpful).</p>
${report.gaps.length ? html`<table><thead><tr><th scope="col">Topic</th><th scope="col">Asked</th><th scope="col">Declined</th><th scope="col">Not helpful</th><th scope="col">Example</th><th scope="col">Last asked</th></tr></thead><tbody>
${report.gaps.map((g) => html`<tr><td>${g.terms.join(", ")}</td><td>${g.count}</td><td>${g.declined}</td><td>${g.notHelpful}</td><td>${g.example}</td><td>${when(g.lastAsked)}</td></tr>`)}
</tbody></table>` : html`<p>Nothing to list.</p>`}`);
}

export function correctionsPage(list: Correction[], days: number, max: number): Html {
  return page("Corrections", html`<h1>Corrections</h1>${daysForm("/corrections", days, max)}
${list.length ? html`<ul class="corrections">${list.map((c) => html`<li><a href="${articleHref(c.articleId)}#history">${c.title}</a> · ${when(c.at)} UTC · ${c.changed.length} reworded, ${c.added.length} added, ${c.removed.length} removed${c.retitled ? " · retitled" : ""} · revision ${c.revision}</li>`)}</ul>` : html`<p>No correction in the last ${days} days.</p>`}`);
}

export function feedsPage(feeds: Feed[]): Html {
  return page("Feeds", html`<h1>Feeds</h1>
${feeds.length ? html`<table><thead><tr><th scope="col">#</th><th scope="col">Feed</th><th scope="col">Articles</th><th scope="col">Last read</th><th scope="col">Next poll</th><th scope="col">Health</th></tr></thead><tbody>
${feeds.map((f) => html`<tr><td>${f.id}</td><td>${f.title ?? ""}<br><code>${f.url}</code></td><td>${f.articles}${f.backlog ? ` (+${f.backlog} waiting)` : ""}</td><td>${when(f.lastOkAt)}</td><td>${when(f.nextPollAt)}</td><td>${f.failures ? html`<strong>${f.failures} failed in a row</strong>: ${f.lastError ?? ""}` : "ok"}</td></tr>`)}
</tbody></table>` : html`<p>No feed is followed (moderators add them with /feeds add in Discord or npm run feeds).</p>`}`);
}

const TIER_WORDS = { answered: "answered", closest: "closest coverage", not_found: "not found" } as const;

/** The latest ratings, not-helpful ones first to the eye (bold), each with a link to the answer it rated while its receipt is kept. */
export function feedbackPage(report: FeedbackReport, max: number): Html {
  return page("Feedback", html`<h1>Feedback</h1>${daysForm("/feedback", report.days, max)}
<p>Last ${report.days} days (since ${report.since.slice(0, 10)}): ${report.helpful} helpful, ${report.notHelpful} not helpful${report.ratings.length < report.helpful + report.notHelpful ? `; the latest ${report.ratings.length} listed` : ""}.</p>
${report.ratings.length ? html`<table><thead><tr><th scope="col">When (UTC)</th><th scope="col">Rating</th><th scope="col">Question</th><th scope="col">Answer</th></tr></thead><tbody>
${report.ratings.map((r) => html`<tr><td>${when(r.at)}</td><td>${r.helpful ? "helpful" : html`<strong>not helpful</strong>`}</td><td>${r.question}</td><td>${r.receiptId ? html`<a href="/answers/${r.receiptId}">${r.receiptId}</a>${r.status ? ` (${TIER_WORDS[r.status]})` : ""}` : "receipt no longer kept"}</td></tr>`)}
</tbody></table>` : html`<p>No member rated an answer in that time.</p>`}`);
}
