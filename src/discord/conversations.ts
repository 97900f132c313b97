import type { Answer, ConversationTurn } from "../library.ts";

/**
 * Follow-up questions: the turns before each answer the bot posted, by the id of its message, and
 * by thread. A member continues a conversation by replying to an answer (a reply mentions the bot,
 * so Discord sends its text without the Message Content intent) or by asking in a thread opened
 * from an answer (a thread started from a message carries that message's id). Kept in memory and
 * bounded: after a restart a follow-up is answered as a new question.
 */
export class Conversations {
  private readonly byKey = new Map<string, ConversationTurn[]>();
  constructor(
    private readonly maxKeys = 2000,
    /** The core reads the last few turns; older ones only blur what "they" refers to. */
    private readonly maxTurns = 4,
  ) {}

  /** The turns a question asked at `key` (a replied-to message, or a thread) continues; [] for a new conversation. */
  get(key: string | null | undefined): ConversationTurn[] {
    return (key && this.byKey.get(key)) || [];
  }

  /** After an answer: the conversation, with this turn, continues at each of `keys`. */
  extend(keys: string[], before: ConversationTurn[], question: string, answer: Answer): void {
    const turns = [...before, { question, answer: { citations: answer.citations } }].slice(-this.maxTurns);
    for (const key of keys) {
      this.byKey.delete(key);
      this.byKey.set(key, turns);
    }
    while (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value as string);
  }
}
