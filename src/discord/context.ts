import { MessageFlags, type Interaction, type Message } from "discord.js";
import { checkQuestion, QuestionError } from "../library.ts";
import type { Answer, ConversationTurn } from "../library.ts";
import type { Library } from "../library-types.ts";
import type { BotConfig } from "./config.ts";
import type { Conversations } from "./conversations.ts";
import { quoteForLog, type Logger } from "./log.ts";
import { RateLimiter, rateLimitMessage } from "./rate-limit.ts";
import type { MessagePayload } from "./render.ts";
import type { WorkQueues } from "./work.ts";

/**
 * What every handler of the Discord face is given: the library, the settings, the logger, the
 * work queues and the per-member limits. One object made by startBot, so that command modules,
 * buttons and mentions can live in files of their own.
 */
export interface BotContext {
  lib: Library;
  config: BotConfig;
  log: Logger;
  conversations: Conversations;
  work: WorkQueues;
  limits: {
    questions: RateLimiter | null;
    lookups: RateLimiter | null;
    /** One public refusal per member per window on the mention path. */
    mentionNotices: RateLimiter;
  };
  stopping(): boolean;
}

export function createLimits(config: BotConfig): BotContext["limits"] {
  const limiter = (l: { count: number; windowMs: number } | null) => (l ? new RateLimiter(l.count, l.windowMs) : null);
  return {
    questions: limiter(config.rateLimit),
    lookups: limiter(config.lookupRateLimit),
    mentionNotices: new RateLimiter(1, config.rateLimit?.windowMs ?? 60_000),
  };
}

/** "ana (m-3f9a1c2b9e01)": members' ids reach the log only as the store's keyed hash. */
export function who(ctx: BotContext, user: { username: string; id: string }): string {
  return `${user.username} (${ctx.lib.memberHash(user.id)})`;
}

export function whereFrom(source: Interaction | Message): string {
  return source.guildId ? `server ${source.guildId}` : "direct message";
}

export const ephemeral = (payload: MessagePayload) => ({ ...payload, flags: MessageFlags.Ephemeral as const });

/** The message of a question the core would refuse (empty, too long), or null. */
export function invalidQuestion(question: string): { reason: string; text: string } | null {
  try {
    checkQuestion(question);
    return null;
  } catch (error) {
    if (error instanceof QuestionError) return { reason: "invalid question", text: error.message };
    throw error;
  }
}

/** Question checks, then the member's limit, before anything is sent. */
export function precheck(ctx: BotContext, userId: string, question: string): { reason: string; text: string } | null {
  const invalid = invalidQuestion(question);
  if (invalid) return invalid;
  const taken = ctx.limits.questions?.take(userId);
  if (taken && !taken.ok) return { reason: "rate limited", text: rateLimitMessage(taken.retryAfterMs, ctx.config.rateLimit!) };
  return null;
}

/** The answer, or the message of a QuestionError (what the member should change). */
export async function answerOrExplain(
  ctx: BotContext,
  question: string,
  options: { articleId?: string | undefined; context?: ConversationTurn[]; since?: string | null; until?: string | null } = {},
): Promise<Answer | string> {
  const { articleId, context, since, until } = options;
  try {
    return await ctx.work.answer(() =>
      ctx.lib.answer(question, { ...(articleId ? { articleId } : {}), ...(context?.length ? { context } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}) }),
    );
  } catch (error) {
    if (error instanceof QuestionError) return error.message;
    throw error;
  }
}

export function logAnswer(ctx: BotContext, prefix: string, question: string, a: Answer, started: number): void {
  const ms = Math.round(performance.now() - started);
  const cites = a.citations.map((c) => `[${c.n}] ${quoteForLog(c.title, 60)} ¶${c.paragraph} (${c.articleId})`).join(", ");
  const filter = (a.searched.articleFilter ? ` in article ${a.searched.articleFilter}` : "") + (a.searched.fromContext.length ? ` (follow-up: ${a.searched.fromContext.join(", ")})` : "");
  ctx.log.info(
    `${prefix}: ${quoteForLog(question)}${filter} -> ${a.status} (confidence ${a.confidence.toFixed(2)}) in ${ms} ms; ` +
      (a.status === "answered" ? `cited ${cites}` : cites ? `closest ${cites}` : "nothing close"),
  );
}
