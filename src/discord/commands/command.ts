import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { Need } from "../access.ts";
import type { BotContext } from "../context.ts";

/**
 * One slash command, as the discord.js guide lays them out: its definition as registered with
 * Discord, what it needs (access.ts decides before `execute` runs), and its handlers.
 */
export interface Command {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody & { name: string };
  need: Need;
  /** How a refusal words what was refused ("add articles"). */
  action?: string;
  execute(ctx: BotContext, i: ChatInputCommandInteraction): Promise<void>;
  autocomplete?(ctx: BotContext, i: AutocompleteInteraction): Promise<void>;
}
