import { createInterface } from "node:readline";
import { QuestionError } from "../answer/answer.ts";
import type { Library } from "../library-types.ts";
import { renderAnswer } from "./render.ts";

const HELP = `Ask a question about the coverage, e.g. "What did Peskov say about publicity?"
Commands: /articles lists the coverage, /help shows this, /quit (or Ctrl-D) leaves.`;

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
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "/quit" || line === "/exit") break;
    if (line === "/help") say(HELP);
    else if (line === "/articles") {
      for (const a of lib.articles()) say(`  ${a.id}  ${a.title}${a.outlet ? ` (${a.outlet}${a.published ? `, ${a.published}` : ""})` : ""}`);
    } else if (line) {
      try {
        say(renderAnswer(await lib.answer(line)));
      } catch (error) {
        if (!(error instanceof QuestionError)) throw error;
        say(error.message);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
