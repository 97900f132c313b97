import type { Client, Message } from "discord.js";
import { decide, requesterOf } from "./access.ts";
import { answerOrExplain, invalidQuestion, logAnswer, who, type BotContext } from "./context.ts";
import { errorId } from "./log.ts";
import { rateLimitMessage } from "./rate-limit.ts";
import { apology, plain, renderAnswer } from "./render.ts";

/**
 * Questions that @mention the bot (or its role), answered with a reply in the channel. Discord
 * sends the text of a message that mentions the bot without the privileged Message Content intent.
 */
export async function onMention(ctx: BotContext, client: Client, m: Message): Promise<void> {
  const { config, log } = ctx;
  if (m.author.bot || m.webhookId || m.system || !m.inGuild() || !client.isReady()) return;
  const me = client.user.id;
  const botRole = m.guild.members.me?.roles.botRole?.id;
  const pattern = `<@!?${me}>${botRole ? `|<@&${botRole}>` : ""}`;
  if (!new RegExp(pattern).test(m.content)) return;
  const decision = decide(config, requesterOf(m), "read");
  if (!decision.ok) {
    // Said nowhere: a server that may not read is being left, and a reply there would be noise.
    log.info(`mention by ${who(ctx, m.author)} in server ${m.guildId} ignored: ${decision.reason}`);
    return;
  }
  if (ctx.stopping()) {
    await m.reply(plain("I'm restarting right now; please ask again in a minute.")).catch(() => {});
    return;
  }
  const started = performance.now();
  const question = m.content.replace(new RegExp(pattern, "g"), " ").replace(/\s+/g, " ").trim();
  try {
    // Mentions are public: every mention counts against the member's limit, valid or not, and a
    // refusal is said at most once per window, so 30 mentions cannot make the bot post 30 replies.
    const taken = ctx.limits.questions?.take(m.author.id);
    const refusal =
      taken && !taken.ok
        ? { reason: "rate limited", text: rateLimitMessage(taken.retryAfterMs, config.rateLimit!) }
        : !question
          ? { reason: "no question", text: `Ask me a question about the coverage after the mention, e.g. <@${me}> What did Peskov say about publicity? (/help has more.)` }
          : invalidQuestion(question);
    if (refusal) {
      const said = ctx.limits.mentionNotices.take(m.author.id).ok;
      log.info(`mention by ${who(ctx, m.author)} refused: ${refusal.reason}${said ? "" : " (no reply: already told this member in this window)"}`);
      if (said) await m.reply(plain(refusal.text));
      return;
    }
    void m.channel.sendTyping().catch(() => {});
    const answer = await answerOrExplain(ctx, question, undefined);
    if (typeof answer === "string") {
      await m.reply(plain(answer));
      return;
    }
    const reply = await m.reply({ ...renderAnswer(answer), failIfNotExists: false });
    ctx.recent.remember(reply.id, { question, answer, askedBy: m.author.id });
    logAnswer(ctx, `mention by ${who(ctx, m.author)} in #${m.channel.name}`, question, answer, started);
  } catch (error) {
    const id = errorId();
    log.error(`${id} mention question by ${who(ctx, m.author)} failed`, error);
    await m.reply(apology(id)).catch(() => {});
  }
}
