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
  // With the Message Content intent, a thread opened from an answer is a conversation with the bot:
  // its messages are follow-ups without a mention. (Without it, Discord sends no text to read.)
  const inConversationThread = config.messageContent && m.channel.isThread() && ctx.conversations.get(m.channelId).length > 0;
  // A reply to the bot pings it (unless the member turned that off): Discord then lists the bot among
  // the mentions and sends the text, with no <@id> in it.
  const addressed = new RegExp(pattern).test(m.content) || m.mentions.users.has(me);
  if (!addressed && !inConversationThread) return;
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
    // A reply to one of the bot's answers, or a question in a thread opened from one, follows up on it.
    const before = ctx.conversations.get(m.reference?.messageId).length ? ctx.conversations.get(m.reference?.messageId) : ctx.conversations.get(m.channelId);
    const answer = await answerOrExplain(ctx, question, { context: before });
    if (typeof answer === "string") {
      await m.reply(plain(answer));
      return;
    }
    const receipt = ctx.lib.recordAnswer(answer, { face: "discord", guildId: m.guildId, channelId: m.channelId, memberId: m.author.id });
    const reply = await m.reply({ ...renderAnswer(answer, receipt), failIfNotExists: false });
    ctx.lib.linkAnswerMessage(receipt, reply.id);
    ctx.conversations.extend(m.channel.isThread() ? [reply.id, m.channelId] : [reply.id], before, question, answer);
    logAnswer(ctx, `mention by ${who(ctx, m.author)} in #${m.channel.name}`, question, answer, started);
  } catch (error) {
    const id = errorId();
    log.error(`${id} mention question by ${who(ctx, m.author)} failed`, error);
    await m.reply(apology(id)).catch(() => {});
  }
}
