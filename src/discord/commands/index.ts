import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { articles } from "./articles.ts";
import { ask } from "./ask.ts";
import { check } from "./check.ts";
import type { Command } from "./command.ts";
import { corrections } from "./corrections.ts";
import { feeds } from "./feeds.ts";
import { forget } from "./forget.ts";
import { gaps } from "./gaps.ts";
import { help } from "./help.ts";
import { ingest } from "./ingest.ts";
import { receipt } from "./receipt.ts";
import { source } from "./source.ts";
import { web } from "./web.ts";

export type { Command } from "./command.ts";

/** The slash commands, in the order Discord lists them. A new command is a file here and a line below. */
export const COMMANDS: readonly Command[] = [ask, source, articles, help, ingest, forget, feeds, check, receipt, gaps, corrections, web];

const byName = new Map(COMMANDS.map((c) => [c.definition.name, c]));
export const findCommand = (name: string): Command | undefined => byName.get(name);

export const COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = COMMANDS.map((c) => c.definition);

/** What a server that may only read is offered (DISCORD_OTHER_SERVERS=read-only). */
export const READ_ONLY_COMMAND_DEFINITIONS = COMMANDS.filter((c) => c.need === "read").map((c) => c.definition);
