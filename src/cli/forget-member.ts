import { Command } from "commander";
import { openLibrary } from "../library.ts";
import { loadEnv, run } from "./common.ts";
import { plural } from "../common/text.ts";

/**
 * A member's request to have their data deleted, carried out by whoever runs the bot. What the store
 * keeps about members is their feedback (question, answer, rating) and the receipts of the answers they were given, under a keyed hash of their id;
 * logs hold only that hash too, so the hash printed here is what to search for in kept logs.
 */
const program = new Command("npm run forget-member --")
  .description("Delete everything the store keeps about one member (their feedback on answers and the receipts of their questions).")
  .argument("<member-id>", "the member's Discord user id (Developer Mode on, right-click the member, Copy User ID)")
  .option("--data-dir <dir>", "where the store lives (default: $DATA_DIR, else data/)");

run(async () => {
  program.parse();
  loadEnv();
  const [memberId] = program.args as [string];
  if (!/^\d{15,21}$/.test(memberId.trim())) program.error(`"${memberId}" is not a Discord user id (a number like 123456789012345678).`);
  const opts = program.opts<{ dataDir?: string }>();
  const lib = await openLibrary({ dataDir: opts.dataDir });
  try {
    const hash = lib.memberHash(memberId.trim());
    const removed = lib.forgetMember(memberId.trim());
    process.stdout.write(`Deleted ${plural(removed, "record")} (feedback and answer receipts) of member ${hash} from ${lib.dataDir}. Log lines about this member carry "${hash}".\n`);
  } finally {
    await lib.close();
  }
});
