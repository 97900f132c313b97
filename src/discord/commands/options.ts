import { ApplicationCommandOptionType, InteractionContextType, type AutocompleteInteraction } from "discord.js";
import { articleChoices } from "../articles.ts";
import type { BotContext } from "../context.ts";

/** Every command is offered in servers only; access.ts decides which servers. */
export const IN_GUILDS = { contexts: [InteractionContextType.Guild] };

/** The `article:` option: typed with autocomplete over titles, resolved by `resolveArticle`. */
export const articleOption = (description: string, required: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  name: "article",
  description,
  required,
  autocomplete: true,
  max_length: 100,
});

export async function articleAutocomplete(ctx: BotContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const choices = focused.name === "article" && !ctx.stopping() ? articleChoices(ctx.lib, String(focused.value)) : [];
  await i.respond(choices).catch((error: unknown) => ctx.log.warn(`autocomplete for /${i.commandName} failed: ${(error as Error).message}`));
}
