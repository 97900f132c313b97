import { createInterface } from "node:readline";
import { QuestionError } from "../library.ts";
import type { ConversationTurn } from "../library.ts";
import type { Library } from "../library-types.ts";
import { renderAnswer } from "./render.ts";

const HELP = `Ask a question about the coverage, e.g. "What did Peskov say about publicity?"
Follow-up questions ("where are they meeting next?") continue from the earlier ones.
Commands: /new starts a new conversation, /articles lists the coverage, /help shows this, /quit (or Ctrl-D) leaves.`;

/** Turns kept as context: enough for "and him?" chains, few enough that old topics fade. */
const CONTEXT_TURNS = 4;

/**
 * The terminal chat. Interactive on a terminal; with a pipe it answers each line and exits, so
 * `echo "question" | npm start` works in scripts.
 */
export async function chat(lib: Library, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const interactive = (input as NodeJS.ReadStream).isTTY === true;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const say = (text: string) => output.write(`${text}\n`);
  if (interactive) {
    say(`${lib.articles().length} articles in the coverage. ${HELP}`);
    rl.setPrompt("\nask> ");
    rl.prompt();
  }
  let context: ConversationTurn[] = [];
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "/quit" || line === "/exit") break;
    if (line === "/help") say(HELP);
    else if (line === "/new") {
      context = [];
      say("New conversation: earlier questions no longer count.");
    }
    else if (line === "/articles") {
      for (const a of lib.articles()) say(`  ${a.id}  ${a.title}${a.outlet ? ` (${a.outlet}${a.published ? `, ${a.published}` : ""})` : ""}`);
    } else if (line) {
      try {
        const answer = await lib.answer(line, { context });
        say(renderAnswer(answer, lib.recordAnswer(answer, { face: "chat" })));
        context = [...context, { question: line, answer }].slice(-CONTEXT_TURNS);
      } catch (error) {
        if (!(error instanceof QuestionError)) throw error;
        say(error.message);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
