import { embedLength, type APIEmbed } from "discord.js";
import { oneLine, truncateAtWord } from "../common/text.ts";
import { describeFact, VERDICT_LABELS, type ClaimCheck, type Verdict } from "../library.ts";
import { citationFields, echo, escapeMarkdown, fitLines, LIMITS, NO_MENTIONS, quotesBlock, type MessagePayload } from "./render.ts";

const COLORS: Record<Verdict, number> = { supported: 0x2e8b57, partly: 0xc98a12, contradicted: 0xc0392b, not_covered: 0x5b6b7f };
const MARKS = { stated: "✓", differs: "✗", not_stated: "?" } as const;
/** Facts take at most this much of the description, so that the evidence always has room. */
const FACTS_MAX = 1200;
/** What the sources may take of the 6,000 characters of an embed: the claim, facts and evidence keep the rest. */
const SOURCES_MAX = 2500;
/** Source titles and links, shorter and shorter until the sources fit. */
const SOURCE_LEVELS = [
  { titleMax: 200, withLinks: true },
  { titleMax: 120, withLinks: true },
  { titleMax: 60, withLinks: false },
];

/**
 * A checked claim for staff: the verdict as the title (never "false"), the claim as typed (escaped,
 * never a link), fact by fact, the evidence quoted verbatim with its numbered sources.
 */
export function renderClaimCheck(c: ClaimCheck): MessagePayload {
  const embed: APIEmbed = { color: COLORS[c.verdict], title: VERDICT_LABELS[c.verdict] };
  embed.fields = sourceFields(c, embed);
  embed.footer = { text: c.quotes.length ? "Quotes are verbatim · only you can see this" : "Only you can see this" };
  const head = `**Claim:** ${echo(c.claim, 600)}`;
  const facts = c.facts.length ? `**Facts**\n${fitLines(c.facts.map((f) => `${MARKS[f.status]} ${factLine(f)}`), FACTS_MAX)}` : "";
  const closest = c.verdict === "not_covered" && c.citations.length ? "The sources below are the closest coverage; they do not address the claim." : "";
  const intro = [head, facts, closest].filter(Boolean).join("\n\n");
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - embedLength(embed)) - intro.length - "\n\n**Evidence**\n".length;
  const evidence = c.quotes.length && room > 40 ? `\n\n**Evidence**\n${quotesBlock(c.quotes, c.citations, room)}` : "";
  embed.description = truncateAtWord(intro + evidence, LIMITS.embedDescription);
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}

/** One field per source, as for answers, shortened (then fewer, and saying so) until they fit beside the evidence. */
function sourceFields(c: ClaimCheck, embed: APIEmbed): NonNullable<APIEmbed["fields"]> {
  const fits = (fields: NonNullable<APIEmbed["fields"]>) => embedLength({ ...embed, fields }) <= SOURCES_MAX;
  const shortest = SOURCE_LEVELS[SOURCE_LEVELS.length - 1]!;
  for (const level of SOURCE_LEVELS) {
    const fields = citationFields(c.citations, level.titleMax, level.withLinks);
    if (fits(fields)) return fields;
  }
  const all = citationFields(c.citations, shortest.titleMax, shortest.withLinks);
  for (let k = all.length - 1; k > 0; k--) {
    const fields = [...all.slice(0, k), { name: "More sources", value: `${c.citations.length - k} more not listed here.` }];
    if (fits(fields)) return fields;
  }
  return all.slice(0, 1);
}

/** The claim's words are the member's: echoed; what the coverage says is quoted text: escaped. */
function factLine(f: ClaimCheck["facts"][number]): string {
  return describeFact(f, echo(f.text, 120), `“${escapeMarkdown(truncateAtWord(oneLine(f.coverageSays ?? ""), 200))}”`);
}
