/**
 * The fake's gateway (WebSocket): HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME with
 * replay of what was missed, and dispatches filtered by the session's intents the way Discord
 * filters them (no message events without GuildMessages; no content without MessageContent unless
 * the message mentions or is from the bot).
 */
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes, type APIMessage, type APIUser, type ApplicationFlags, type GatewayReadyDispatchData } from "discord-api-types/v10";
import type { Recorder } from "./recorder.ts";
import type { FakeDiscordStats } from "./types.ts";

interface Session {
  id: string;
  seq: number;
  intents: number;
  log: { op: 0; t: string; s: number; d: unknown }[];
}

export interface GatewayWorld {
  token: string;
  botUser: APIUser;
  applicationId: string;
  heartbeatIntervalMs: number;
  gatewayUrl: string;
  stats: FakeDiscordStats;
  /** Payloads received from the client (except heartbeats; tokens redacted). */
  received: { op: number; d: unknown }[];
  sessions: Recorder<{ kind: "identify" | "resume"; index: number }>;
  /** The servers the bot is in, for READY, and their GUILD_CREATE payloads. */
  readyGuilds(): { ids: string[]; creates: unknown[] };
}

const MESSAGE_EVENTS = new Set<string>([GatewayDispatchEvents.MessageCreate, GatewayDispatchEvents.MessageUpdate, GatewayDispatchEvents.MessageDelete]);

export class Gateway {
  private session: Session | null = null;
  private active: WebSocket | null = null;

  constructor(private readonly world: GatewayWorld) {}

  /** Intents of the current session (from IDENTIFY). */
  get intents(): number | undefined {
    return this.session?.intents;
  }

  connect(ws: WebSocket): void {
    const { stats, received } = this.world;
    stats.connections++;
    send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.world.heartbeatIntervalMs } });
    ws.on("message", (raw) => {
      let p: { op: number; d: any };
      try {
        p = JSON.parse(String(raw));
      } catch {
        return void ws.close(4002, "Error while decoding payload.");
      }
      if (p.op !== GatewayOpcodes.Heartbeat) received.push({ op: p.op, d: p.op === GatewayOpcodes.Identify || p.op === GatewayOpcodes.Resume ? { ...p.d, token: "<redacted>" } : p.d });
      switch (p.op) {
        case GatewayOpcodes.Heartbeat:
          stats.heartbeats++;
          return send(ws, { op: GatewayOpcodes.HeartbeatAck });
        case GatewayOpcodes.Identify:
          return this.identify(ws, p.d);
        case GatewayOpcodes.Resume:
          return this.resume(ws, p.d);
        default:
          return; // presence updates, request guild members, ...: accepted and ignored
      }
    });
    ws.on("close", () => {
      if (this.active === ws) this.active = null;
    });
  }

  private identify(ws: WebSocket, d: any): void {
    const { stats, token } = this.world;
    if (d?.token !== token) return void ws.close(4004, "Authentication failed.");
    stats.identifies++;
    this.session = { id: randomBytes(16).toString("hex"), seq: 0, intents: Number(d.intents ?? 0), log: [] };
    this.active = ws;
    const guilds = this.world.readyGuilds();
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.world.botUser,
      guilds: guilds.ids.map((id) => ({ id, unavailable: true })),
      session_id: this.session.id,
      resume_gateway_url: this.world.gatewayUrl,
      shard: [0, 1],
      application: { id: this.world.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
    };
    this.dispatch(GatewayDispatchEvents.Ready, ready);
    for (const g of guilds.creates) this.dispatch(GatewayDispatchEvents.GuildCreate, g);
    this.world.sessions.push({ kind: "identify", index: stats.identifies });
  }

  private resume(ws: WebSocket, d: any): void {
    const { stats, token } = this.world;
    const session = this.session;
    if (!session || d?.session_id !== session.id || d?.token !== token) {
      stats.invalidSessions++;
      return send(ws, { op: GatewayOpcodes.InvalidSession, d: false });
    }
    stats.resumes++;
    this.active = ws;
    for (const entry of session.log) if (entry.s > Number(d.seq ?? 0)) send(ws, entry);
    this.dispatch(GatewayDispatchEvents.Resumed, null);
    this.world.sessions.push({ kind: "resume", index: stats.resumes });
  }

  /** Sends a dispatch (or buffers it for RESUME while disconnected). Honours GuildMessages / MessageContent intents. */
  dispatch(t: GatewayDispatchEvents, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error(`fake-discord: cannot dispatch ${t}: no gateway session yet (await the client's ready first)`);
    const { stats } = this.world;
    const botUserId = this.world.botUser.id;
    let data = d;
    if (MESSAGE_EVENTS.has(t)) {
      if (!(session.intents & GatewayIntentBits.GuildMessages)) return void stats.suppressed++;
      const m = d as APIMessage;
      const readable = session.intents & GatewayIntentBits.MessageContent || m.author?.id === botUserId || m.mentions?.some((u) => u.id === botUserId);
      if (m.content !== undefined && !readable) data = { ...m, content: "", embeds: [], attachments: [], components: [] };
    }
    const payload = { op: 0 as const, t, s: ++session.seq, d: data };
    session.log.push(payload);
    stats.dispatches++;
    if (this.active) send(this.active, payload);
  }

  /** Discord-originated echo (MESSAGE_CREATE/UPDATE/DELETE of the bot's own messages...): skipped without a session. */
  echo(t: GatewayDispatchEvents, d: unknown): void {
    if (this.session) this.dispatch(t, d);
  }

  /** Closes the socket (4000 = resumable); `invalidate` makes the RESUME fail (op 9). */
  drop(code: number, invalidate: boolean): void {
    if (invalidate) this.session = null;
    const ws = this.active;
    this.active = null;
    ws?.close(code, "fake-discord: connection dropped");
  }
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
}
