/**
 * A REAL discord.js Client wired to the fake Discord (./fake-discord.ts).
 *
 *   const client = await createTestClient(fake);   // resolves after clientReady
 *   ...
 *   await destroyTestClient(client);               // safe at any point
 */
import { setTimeout as delay } from "node:timers/promises";
import { Client, Events, GatewayIntentBits, Status, type ClientOptions } from "discord.js";
import type { FakeDiscord } from "../../tools/fake-discord/server.ts";

export const DEFAULT_TEST_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

export interface TestClientOptions {
  /** Log in with this token instead of the fake's (e.g. to test TokenInvalid). */
  token?: string;
  /** Extra Client options (merged; rest/ws keep the fake-specific settings). */
  clientOptions?: Partial<ClientOptions>;
  /** Reject if not ready within this time (default 5000 ms). */
  readyTimeoutMs?: number;
}

/** Client options pointing discord.js at the fake: REST base URL, no global rate limit, no identify throttle. */
export function testClientOptions(fake: Pick<FakeDiscord, "apiUrl">, intents: ClientOptions["intents"] = DEFAULT_TEST_INTENTS, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    ...extra,
    intents,
    rest: { ...extra.rest, api: fake.apiUrl, globalRequestsPerSecond: 1e6 },
    // Without this, a close 1000 / invalid session makes the client wait ~5 s before re-identifying.
    ws: { ...extra.ws, buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
  };
}

/** Builds a client for the fake, logs in and resolves once `clientReady` fired (guild cached). */
export async function createTestClient(fake: Pick<FakeDiscord, "apiUrl" | "token">, intents?: ClientOptions["intents"], options: TestClientOptions = {}): Promise<Client<true>> {
  const client = new Client(testClientOptions(fake, intents, options.clientOptions));
  const timeoutMs = options.readyTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<Client<true>>((resolve, reject) => {
    client.once(Events.ClientReady, resolve);
    timer = setTimeout(() => reject(new Error(`discord.js client not ready after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await client.login(options.token ?? fake.token);
    return await ready;
  } catch (err) {
    ready.catch(() => {});
    await client.destroy().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves once every shard is READY again (e.g. after a resume or re-identify the test provoked).
 * The fake's waitForResume()/waitForIdentify() resolve when the fake *sent* RESUMED/READY; this one
 * resolves when discord.js has processed it.
 */
export async function waitForShardsReady(client: Client, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (client.ws.shards.size === 0 || client.ws.shards.some((s) => s.status !== Status.Ready)) {
    if (Date.now() > deadline) {
      throw new Error(`discord.js shards not ready after ${timeoutMs} ms: ${client.ws.shards.map((s) => Status[s.status]).join(", ") || "no shards"}`);
    }
    await delay(10);
  }
}

/**
 * Destroys a client safely. discord.js must not be destroyed between IDENTIFY and READY (it then
 * reconnects forever and destroy() never settles), so a client that is logged in but whose shards
 * are not ready (initial login, resume, re-identify in flight) gets up to `settleTimeoutMs` to
 * settle first; destroy() itself is bounded too, so a teardown fails loudly instead of hanging.
 */
export async function destroyTestClient(client: Client | undefined, settleTimeoutMs = 3000): Promise<void> {
  if (!client) return;
  if (client.token) await waitForShardsReady(client, settleTimeoutMs).catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("discord.js client.destroy() did not settle within 3000 ms")), 3000);
  });
  try {
    await Promise.race([client.destroy(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
