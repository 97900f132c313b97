import { Command } from "commander";
import { describeOrigin, describeToday, openLibrary, ReceiptIdError, whoseWords } from "../library.ts";
import type { Receipt } from "../library-types.ts";
import { loadEnv, run } from "./common.ts";

const program = new Command("npm run receipt --")
  .description(
    "Show an answer receipt: what was asked, what was answered from which paragraphs, when and where, and whether each cited " +
      "paragraph still reads the same today. Receipts are kept RECEIPT_RETENTION_DAYS days (default 90).",
  )
  .argument("<id>", "the receipt id shown with the answer, e.g. R-7K3Q9X")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)")
  .option("--json", "print the receipt as JSON on stdout")
  .addHelpText("after", "\nExit code: 0 when shown and every cited paragraph reads the same, 3 when one changed or is gone, 1 when no such receipt is kept, 2 on a setup error.");

export function renderReceipt(r: Receipt): string {
  const lines = [
    `Receipt ${r.id}, ${r.at}`,
    `  asked:    ${r.question}`,
    `  where:    ${describeOrigin(r)}${r.member ? `, member ${r.member}` : ""}`,
    `  answer:   ${r.status} (confidence ${r.confidence.toFixed(2)}), ${r.method} retrieval, store generation ${r.generation}`,
  ];
  for (const q of r.answer.quotes) {
    const whose = whoseWords(q, r.answer.citations[q.citation - 1]);
    lines.push(`  quoted:   “${q.text}” [${q.citation}]${whose ? ` (${whose})` : ""}`);
  }
  lines.push(r.status === "answered" ? "Cited paragraphs:" : "Closest coverage named:");
  // "!" in the margin: the lines a reader scanning the receipt must not miss.
  for (const c of r.citations) {
    const mark = c.today === "changed" || c.today === "gone" ? "!" : " ";
    lines.push(`${mark} [${c.n}] ${c.title}, paragraph ${c.paragraph} (${c.articleId}; text ${c.hash.slice(0, 12)}): ${describeToday(c)}`);
  }
  if (r.citations.length) lines.push(r.unchanged ? "Every cited paragraph reads as it did." : "Some cited paragraphs changed since this answer was given.");
  return lines.join("\n");
}

run(async () => {
  program.parse();
  loadEnv();
  const opts = program.opts<{ dataDir?: string; json?: boolean }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    let receipt: Receipt | null;
    try {
      receipt = lib.receipt(program.args[0]!);
    } catch (error) {
      if (!(error instanceof ReceiptIdError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (!receipt) {
      process.stderr.write(`No receipt ${program.args[0]} is kept in ${lib.dataDir} (receipts are kept RECEIPT_RETENTION_DAYS days).\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(opts.json ? `${JSON.stringify(receipt, null, 2)}\n` : `${renderReceipt(receipt)}\n`);
    if (!receipt.unchanged) process.exitCode = 3;
  } finally {
    await lib.close();
  }
});
