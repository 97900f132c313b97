/** A question the core will not take as asked (empty, too long, a date it cannot read): faces show the message. */
export class QuestionError extends Error {
  override name = "QuestionError";
}
