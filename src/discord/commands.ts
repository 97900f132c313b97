import { ApplicationCommandOptionType, InteractionContextType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { MAX_QUESTION_CHARS } from "../answer/answer.ts";
import type { Need } from "./access.ts";

/** The slash commands, as registered with Discord at start-up. */
export const COMMANDS = {
  ask: "ask",
  source: "source",
  articles: "articles",
  help: "help",
  ingest: "ingest",
  forget: "forget",
} as const;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

/** What each command needs (src/discord/access.ts decides, on every interaction), and how a refusal words it. */
export const COMMAND_NEEDS: Record<CommandName, { need: Need; action?: string }> = {
  ask: { need: "read" },
  source: { need: "read" },
  articles: { need: "read" },
  help: { need: "read" },
  ingest: { need: "moderate", action: "add articles" },
  forget: { need: "moderate", action: "remove articles" },
};

const inGuilds = { contexts: [InteractionContextType.Guild] };

const articleOption = (description: string, required: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  name: "article",
  description,
  required,
  autocomplete: true,
  max_length: 100,
});

export const COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: COMMANDS.ask,
    description: "Ask about the coverage; the answer quotes it verbatim and cites the paragraphs",
    ...inGuilds,
    options: [
      { type: ApplicationCommandOptionType.String, name: "question", description: "Your question, e.g. What did Peskov say about publicity?", required: true, max_length: MAX_QUESTION_CHARS },
      articleOption("Only search this article (start typing its title)", false),
    ],
  },
  {
    name: COMMANDS.source,
    description: "Show a paragraph of an article in full, with its neighbours",
    ...inGuilds,
    options: [
      articleOption("The article (start typing its title)", true),
      { type: ApplicationCommandOptionType.Integer, name: "paragraph", description: "Paragraph number, as cited ([1] ... paragraph 9)", required: true, min_value: 1 },
      { type: ApplicationCommandOptionType.Integer, name: "context", description: "Neighbouring paragraphs to show on each side (default 1)", required: false, min_value: 0, max_value: 3 },
    ],
  },
  {
    name: COMMANDS.articles,
    description: "List the coverage, newest first",
    ...inGuilds,
    options: [{ type: ApplicationCommandOptionType.Integer, name: "page", description: "Page number (10 articles a page)", required: false, min_value: 1 }],
  },
  { name: COMMANDS.help, description: "What this bot does and how to use it", ...inGuilds },
  {
    name: COMMANDS.ingest,
    description: "Moderators: add or replace articles from a file (.txt .md .html .json .jsonl)",
    ...inGuilds,
    options: [{ type: ApplicationCommandOptionType.Attachment, name: "file", description: "The article file", required: true }],
  },
  {
    name: COMMANDS.forget,
    description: "Moderators: remove an article from the coverage",
    ...inGuilds,
    options: [articleOption("The article to remove (start typing its title)", true)],
  },
];

/** What a server that may only read is offered (DISCORD_OTHER_SERVERS=read-only). */
export const READ_ONLY_COMMAND_DEFINITIONS = COMMAND_DEFINITIONS.filter((c) => COMMAND_NEEDS[c.name as CommandName].need === "read");
