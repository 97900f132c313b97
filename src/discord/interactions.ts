import { MessageFlags, type Interaction, type RepliableInteraction } from "discord.js";
import { decide, requesterOf, type Need } from "./access.ts";
import { buttonNeed, onButton } from "./button-clicks.ts";
import { parseCustomId } from "./buttons.ts";
import { findCommand } from "./commands/index.ts";
import { ephemeral, whereFrom, who, type BotContext } from "./context.ts";
import { errorId } from "./log.ts";
import { apology, plain } from "./render.ts";

/**
 * The router: every interaction passes the access check (access.ts), the look-up limit, and the
 * shutdown gate, in that order, before its command, button or autocomplete handler runs; an
 * unexpected error becomes a private apology with an id that is in the log.
 */
export async function onInteraction(ctx: BotContext, i: Interaction): Promise<void> {
  const command = i.isChatInputCommand() || i.isAutocomplete() ? findCommand(i.commandName) : undefined;
  // A command needs what it declares, a button what it does; autocomplete only reads.
  const { need, action }: { need: Need; action?: string | undefined } = i.isChatInputCommand()
    ? { need: command?.need ?? "read", action: command?.action }
    : i.isButton()
      ? buttonNeed(parseCustomId(i.customId))
      : { need: "read" };
  const decision = decide(ctx.config, requesterOf(i), need, action);
  // Look-ups read the store on this thread: one member typing an article name fast (an
  // autocomplete per key) must not starve everyone else's acknowledgements.
  const isLookup = need === "read" && (i.isAutocomplete() || i.isButton() || (i.isChatInputCommand() && command?.definition.name !== "ask"));
  const lookup = isLookup && decision.ok ? ctx.limits.lookups?.take(i.user.id) : undefined;
  if (i.isAutocomplete()) {
    if (decision.ok && lookup?.ok !== false && command?.autocomplete) return command.autocomplete(ctx, i);
    return void (await i.respond([]).catch(() => {}));
  }
  if (!i.isRepliable()) return;
  const label = i.isChatInputCommand() ? `/${i.commandName}` : i.isButton() ? `button ${i.customId}` : `interaction type ${i.type}`;
  if (!decision.ok) {
    ctx.log.info(`${label} by ${who(ctx, i.user)} refused: ${decision.reason} (${whereFrom(i)})`);
    await i.reply(ephemeral(plain(decision.message))).catch((error: unknown) => ctx.log.warn(`refusal not delivered: ${(error as Error).message}`));
    return;
  }
  if (lookup && !lookup.ok) {
    ctx.log.info(`${label} by ${who(ctx, i.user)} refused: look-ups rate limited`);
    await i.reply(ephemeral(plain(`That's a lot of clicks at once; please try again in ${Math.max(1, Math.ceil(lookup.retryAfterMs / 1000))} s.`))).catch(() => {});
    return;
  }
  if (ctx.stopping()) {
    await i.reply(ephemeral(plain("I'm restarting right now; please try again in a minute."))).catch(() => {});
    return;
  }
  try {
    if (i.isChatInputCommand()) {
      if (command) await command.execute(ctx, i);
      else await i.reply(ephemeral(plain(`I don't know /${i.commandName}. /help lists what I can do.`)));
    } else if (i.isButton()) await onButton(ctx, i);
  } catch (error) {
    await apologize(ctx, i, `${label} by ${who(ctx, i.user)} failed`, error);
  }
}

/** Logs the error with an id and tells the member, privately, that something went wrong. */
async function apologize(ctx: BotContext, i: RepliableInteraction, context: string, error: unknown): Promise<void> {
  const id = errorId();
  ctx.log.error(`${id} ${context}`, error);
  const payload = apology(id);
  try {
    if (i.deferred || i.replied) {
      if (i.ephemeral) await i.editReply(payload);
      else {
        // The "thinking…" message is public; replace it with a private apology.
        await i.deleteReply().catch(() => {});
        await i.followUp({ ...payload, flags: MessageFlags.Ephemeral });
      }
    } else await i.reply({ ...payload, flags: MessageFlags.Ephemeral });
  } catch (deliveryError) {
    ctx.log.warn(`${id}: could not deliver the apology (${(deliveryError as Error).message})`);
  }
}
