/**
 * A protocol-faithful fake Discord (REST + gateway) on 127.0.0.1 that the REAL discord.js Client
 * connects to. See ../shared/notes/discord-fake.md for the protocol facts it is built on.
 *
 *   const fake = await startFakeDiscord();
 *   const client = await createTestClient(fake);              // ./discord-client.ts
 *   const ask = fake.slash(fake.user({ username: "ana" }), "ask", { question: "Who?" });
 *   const edit = await ask.waitForEdit();                      // body of PATCH @original
 *   fake.assertClean();                                        // no unknown routes / rejected payloads
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  EmbedType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  Locale,
  type APIApplication,
  type APIEmbed,
  type ApplicationFlags,
  type MessageFlags,
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  type APIAttachment,
  type APIGuildMember,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from "discord-api-types/v10";
import {
  DEFAULT_EVERYONE_PERMISSIONS,
  DEFAULT_MODERATOR_PERMISSIONS,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
  MessageType,
  attachmentsFromFiles,
  buildGuild,
  buildInteractionMember,
  buildMember,
  buildRole,
  buildTextChannel,
  buildUser,
  computeMentions,
  computePermissions,
  iso,
  snowflake,
  toDiscordErrors,
  toPermissionString,
  validateCommands,
  validateMessageBody,
  type MessageBody,
  type UploadedFile,
  type ValidationError,
} from "./payloads.ts";
import { Recorder } from "./recorder.ts";
import { Gateway } from "./gateway.ts";
import { fail, json, NO_CONTENT, readBody, send, type Ctx, type Handler, type Reply } from "./http.ts";
import type {
  AttachmentInput,
  FakeDiscordOptions,
  FakeDiscordStats,
  FakeGuild,
  FakeUser,
  FakeUserInput,
  InteractionHandle,
  Origin,
  PostMessageOptions,
  RecordedCallback,
  RecordedRequest,
  SentKind,
  SentMessage,
  SlashExtras,
  SlashOptionValue,
} from "./types.ts";

export type { MessageBody, UploadedFile, ValidationError } from "./payloads.ts";
export { Recorder } from "./recorder.ts";
export type * from "./types.ts";

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;

interface InteractionState {
  id: string;
  token: string;
  kind: InteractionType;
  commandName?: string;
  payload: APIInteraction;
  user: FakeUser;
  createdAt: number;
  acknowledged: boolean;
  /** Message the interaction originated from (component interactions). */
  sourceMessageId?: string;
  originalId?: string;
  followupIds: string[];
  callbacks: Recorder<RecordedCallback>;
  edits: Recorder<MessageBody>;
  followups: Recorder<MessageBody>;
  replies: Recorder<SentMessage>;
}

/** Starts the fake on 127.0.0.1:<ephemeral port>. Always `await fake.close()`. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}) {
  const guildId = options.guildId ?? snowflake();
  const channelId = options.channelId ?? snowflake();
  const botUserId = options.botUserId ?? snowflake();
  const applicationId = options.applicationId ?? botUserId;
  const token = options.token ?? `fake.${randomBytes(12).toString("hex")}`;
  const validate = options.validate ?? true;
  const deadlineMs = options.interactionDeadlineMs ?? 3000;
  const waitMs = options.waitTimeoutMs ?? 2000;
  const startedAt = Date.now();
  const recorders = new Set<Recorder<unknown>>();
  const rec = <T>(label: string) => {
    const r = new Recorder<T>(label, waitMs);
    recorders.add(r as Recorder<unknown>);
    return r;
  };

  // ---- world state ----------------------------------------------------------------------------
  const botUser = buildUser(botUserId, options.botUsername ?? "Newsroom Quotes", true);
  const ownerId = snowflake();
  const everyone = buildRole(guildId, "@everyone", toPermissionString(options.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS), 0);
  const moderator = buildRole(snowflake(), "Moderator", DEFAULT_MODERATOR_PERMISSIONS, 1);
  const botRole = buildRole(snowflake(), botUser.username, toPermissionString(options.botPermissions, 0n), 2, true);
  botRole.tags = { bot_id: botUserId };
  const roles: APIRole[] = [everyone, moderator, botRole];
  const channel: APITextChannel = buildTextChannel(channelId, guildId, "newsroom");
  const botMember: APIGuildMember = buildMember(botUser, [botRole.id], iso(startedAt));
  const users = new Map<string, APIUser>([[botUserId, botUser]]);
  const members = new Map<string, APIGuildMember>([[botUserId, botMember]]);
  const messages = new Map<string, APIMessage>();
  const files = new Map<string, { name: string; data: Buffer; contentType: string }>();
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const commands: APIApplicationCommand[] = [];
  const appPermissions = () => computePermissions(roles, botMember.roles, everyone.id).toString();
  const guildCreate = (): GatewayGuildCreateDispatchData =>
    buildGuild({ id: guildId, name: "Newsroom", ownerId, roles, channels: [channel], members: [...members.values()], joinedAt: iso(startedAt) });
  /** Other servers the bot is in (or was added to), by id; `left` records the ones it left. */
  const otherGuilds = new Map<string, FakeGuild & { joined: boolean; refuseLeave: boolean }>();
  const leftGuilds: string[] = [];
  const otherGuildCreate = (g: FakeGuild): GatewayGuildCreateDispatchData =>
    buildGuild({ id: g.id, name: g.name, ownerId: g.ownerId, roles: g.roles, channels: [g.channel], members: [buildMember(botUser, [g.roles[1]!.id], iso())], joinedAt: iso() });
  const joinedGuildIds = () => [guildId, ...[...otherGuilds.values()].filter((g) => g.joined).map((g) => g.id)];
  /** Threads started from messages in the newsroom's channel; a thread's id is its starter message's id, as on Discord. */
  const threads = new Map<string, { id: string; type: number; guild_id: string; parent_id: string; name: string }>();
  const guildOfChannel = (id: string) =>
    id === channelId || threads.has(id) ? guildId : [...otherGuilds.values()].find((g) => g.channelId === id)?.id;

  // ---- records ----------------------------------------------------------------------------------
  const requests = rec<RecordedRequest>("request");
  const sent = rec<SentMessage>("sent message");
  const unhandled: RecordedRequest[] = [];
  const invalid: { request: RecordedRequest; errors: ValidationError[] }[] = [];
  const errors: unknown[] = [];
  const downloads: { url: string; name: string; at: number }[] = [];
  const reactions: { channelId: string; messageId: string; emoji: string }[] = [];
  const typing: { channelId: string; at: number }[] = [];
  const received: { op: number; d: unknown }[] = [];
  const sessions = rec<{ kind: "identify" | "resume"; index: number }>("gateway session");
  const stats: FakeDiscordStats = { connections: 0, identifies: 0, resumes: 0, invalidSessions: 0, heartbeats: 0, dispatches: 0, suppressed: 0 };

  // ---- HTTP + WebSocket server ------------------------------------------------------------------
  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      errors.push(err);
      if (!res.headersSent) send(res, json(500, { message: String(err), code: 0 }));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (!(req.url ?? "").startsWith("/gateway")) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => gateway.connect(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const apiUrl = `${base}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  // ---- gateway ----------------------------------------------------------------------------------
  const gateway = new Gateway({
    token,
    botUser,
    applicationId,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
    gatewayUrl,
    stats,
    received,
    sessions,
    readyGuilds: () => ({ ids: joinedGuildIds(), creates: [guildCreate(), ...[...otherGuilds.values()].filter((g) => g.joined).map(otherGuildCreate)] }),
  });
  const dispatch = (t: GatewayDispatchEvents, d: unknown) => gateway.dispatch(t, d);
  const echo = (t: GatewayDispatchEvents, d: unknown) => gateway.echo(t, d);

  // ---- users, files, messages -------------------------------------------------------------------
  function resolveRole(r: string): string {
    const role = roles.find((x) => x.id === r || x.name.toLowerCase() === r.toLowerCase());
    if (!role) throw new Error(`fake-discord: unknown role ${JSON.stringify(r)} (known: ${roles.map((x) => x.name).join(", ")})`);
    return role.id;
  }

  function user(input: FakeUserInput): FakeUser {
    const id = input.id ?? snowflake();
    const roleIds = (input.roles ?? []).map(resolveRole).filter((r) => r !== everyone.id);
    const u = buildUser(id, input.username, input.bot ?? false);
    const permissions = toPermissionString(input.permissions, computePermissions(roles, roleIds, everyone.id));
    const m = buildMember(u, roleIds, iso());
    users.set(id, u);
    members.set(id, m);
    return { id, username: input.username, bot: u.bot ?? false, user: u, member: buildInteractionMember(m, permissions), roles: roleIds, permissions };
  }

  function hostFile(name: string, data: Buffer | Uint8Array | string, contentType = "application/octet-stream"): string {
    const id = snowflake();
    files.set(id, { name, data: Buffer.from(data), contentType });
    const sig = randomBytes(8).toString("hex");
    return `${base}/attachments/${channelId}/${id}/${encodeURIComponent(name)}?ex=${sig.slice(0, 8)}&is=${sig.slice(8)}&hm=${sig}&`;
  }

  function attachment(input: AttachmentInput): APIAttachment {
    if ("id" in input) return input;
    const data = Buffer.from(input.data);
    const contentType = input.contentType ?? "application/octet-stream";
    const url = hostFile(input.name, data, contentType);
    const id = new URL(url).pathname.split("/")[3] as string;
    return { id, filename: input.name, size: data.length, url, proxy_url: url, content_type: contentType };
  }

  const normalizeEmbeds = (body: MessageBody) => (body.embeds ?? []).map((e) => ({ type: EmbedType.Rich, ...e }) as APIEmbed);
  const mentionCtx = { users, roles };

  function buildBotMessage(body: MessageBody, o: { channelId: string; type: MessageType; flags: number; st?: InteractionState; reference?: APIMessage }): APIMessage {
    const id = snowflake();
    const msg: APIMessage = {
      id,
      channel_id: o.channelId,
      author: botUser,
      content: body.content ?? "",
      timestamp: iso(),
      edited_timestamp: null,
      tts: body.tts ?? false,
      ...computeMentions(body.content ?? "", body.allowed_mentions, mentionCtx, o.reference?.author),
      attachments: attachmentsFromFiles(body.files, (f, fid) => hostAt(fid, f)),
      embeds: normalizeEmbeds(body),
      components: body.components ?? [],
      pinned: false,
      type: o.type,
      flags: o.flags,
    };
    if (o.reference) {
      msg.message_reference = { type: 0, message_id: o.reference.id, channel_id: o.reference.channel_id, guild_id: guildId };
      msg.referenced_message = o.reference;
    }
    if (o.st) {
      msg.webhook_id = applicationId;
      msg.application_id = applicationId;
      const meta = { id: o.st.id, user: o.st.user.user, authorizing_integration_owners: { "0": guildId } };
      msg.interaction_metadata =
        o.st.kind === InteractionType.MessageComponent
          ? { ...meta, type: InteractionType.MessageComponent, interacted_message_id: o.st.sourceMessageId ?? "" }
          : { ...meta, type: InteractionType.ApplicationCommand, ...(o.st.originalId ? { original_response_message_id: o.st.originalId } : {}) };
      msg.interaction = { id: o.st.id, type: o.st.kind, name: o.st.commandName ?? "", user: o.st.user.user };
    }
    messages.set(id, msg);
    return msg;
  }

  function hostAt(id: string, f: UploadedFile): string {
    files.set(id, { name: f.name, data: f.data, contentType: f.contentType });
    return `${base}/attachments/${channelId}/${id}/${encodeURIComponent(f.name)}`;
  }

  function applyEdit(msg: APIMessage, body: MessageBody): APIMessage {
    const wasLoading = ((msg.flags ?? 0) & MESSAGE_FLAG_LOADING) !== 0;
    if ("content" in body) msg.content = body.content ?? "";
    if ("embeds" in body) msg.embeds = normalizeEmbeds(body);
    if ("components" in body) msg.components = body.components ?? [];
    if ("attachments" in body) {
      const keep = new Set((body.attachments ?? []).map((a) => String(a.id)));
      msg.attachments = msg.attachments.filter((a) => keep.has(a.id));
    }
    msg.attachments = [...msg.attachments, ...attachmentsFromFiles(body.files, (f, fid) => hostAt(fid, f))];
    Object.assign(msg, computeMentions(msg.content, body.allowed_mentions, mentionCtx, msg.referenced_message?.author));
    msg.flags = (msg.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
    msg.edited_timestamp = wasLoading ? null : iso();
    return msg;
  }

  const stChannel = (st: InteractionState) => String((st.payload as { channel_id?: string }).channel_id ?? channelId);
  const isEphemeral = (m: APIMessage) => ((m.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0;
  const withGuild = (m: APIMessage) => {
    const gid = guildOfChannel(m.channel_id) ?? guildId;
    const member = gid === guildId ? (m.author.id === botUserId ? botMember : members.get(m.author.id)) : buildMember(m.author, [], iso());
    return { ...m, guild_id: gid, member };
  };

  /** Records a sent/edited message and echoes it over the gateway like Discord (ephemeral ones are not). */
  function recordSent(kind: SentKind, body: MessageBody, message: APIMessage, isNew: boolean, st?: InteractionState): void {
    const entry: SentMessage = { kind, body, message: structuredClone(message), channelId: message.channel_id, ephemeral: isEphemeral(message), at: Date.now() };
    if (st) entry.interactionId = st.id;
    sent.push(entry);
    st?.replies.push(entry);
    if (!entry.ephemeral) echo(isNew ? GatewayDispatchEvents.MessageCreate : GatewayDispatchEvents.MessageUpdate, withGuild(message));
  }

  // ---- interactions -----------------------------------------------------------------------------
  /** The origin-dependent part of an interaction: the newsroom's server, another server, or a DM. */
  function interactionOrigin(u: FakeUser, from: Origin | undefined): Record<string, unknown> {
    if (from === "dm") {
      const dmChannel = { id: snowflake(), type: 1, recipients: [u.user] };
      return { channel_id: dmChannel.id, channel: dmChannel, user: u.user, app_permissions: "0", authorizing_integration_owners: { "0": "0" }, context: 1 };
    }
    const g = from ?? { id: guildId, channel };
    return {
      guild_id: g.id,
      guild: { id: g.id, features: [], locale: Locale.EnglishUS },
      channel_id: g.channel.id,
      channel: { ...g.channel, permissions: u.permissions },
      member: u.member,
      app_permissions: appPermissions(),
      guild_locale: Locale.EnglishUS,
      authorizing_integration_owners: { "0": g.id },
      context: 0,
    };
  }

  function newInteraction(u: FakeUser, kind: InteractionType, build: (base: Record<string, unknown>) => APIInteraction, extra: Partial<InteractionState> = {}, from?: Origin): InteractionHandle {
    const id = snowflake();
    const tok = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString("base64url")}`;
    const payload = build({
      id,
      token: tok,
      version: 1,
      application_id: applicationId,
      locale: Locale.EnglishUS,
      entitlements: [],
      attachment_size_limit: 26214400,
      ...interactionOrigin(u, from),
    });
    const st: InteractionState = {
      id,
      token: tok,
      kind,
      payload,
      user: u,
      createdAt: Date.now(),
      acknowledged: false,
      followupIds: [],
      callbacks: rec("interaction callback"),
      edits: rec("edit of @original"),
      followups: rec("follow-up"),
      replies: rec("interaction reply"),
      ...extra,
    };
    interactions.set(id, st);
    byToken.set(tok, st);
    dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return {
      id,
      token: tok,
      payload,
      callbacks: st.callbacks.items,
      edits: st.edits.items,
      followups: st.followups.items,
      replies: st.replies.items,
      waitForCallback: (type, ms) => st.callbacks.waitFor((c) => type === undefined || c.type === type, ms),
      waitForEdit: (pred, ms) => st.edits.waitFor(pred ?? (() => true), ms),
      waitForFollowup: (pred, ms) => st.followups.waitFor(pred ?? (() => true), ms),
      waitForReply: (pred, ms) => st.replies.waitFor(pred ?? (() => true), ms),
      waitForChoices: async (ms) => (await st.callbacks.waitFor((c) => c.type === InteractionResponseType.ApplicationCommandAutocompleteResult, ms)).data?.choices ?? [],
      original: () => (st.originalId ? messages.get(st.originalId) : undefined),
    };
  }

  /** Resolves "ask" / "admin reindex" against registered commands (if any) for ids and declared option types. */
  function commandPath(name: string) {
    const [root, ...subs] = name.trim().split(/\s+/) as [string, ...string[]];
    const command = commands.find((c) => c.name === root && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput);
    let declared: APIApplicationCommandOption[] | undefined = command?.options;
    for (const s of subs) declared = (declared?.find((o) => o.name === s) as { options?: APIApplicationCommandOption[] } | undefined)?.options;
    return { root, subs, command, declared: command ? (declared ?? []) : undefined };
  }

  function buildOptions(name: string, values: Record<string, SlashOptionValue>, extras: SlashExtras, focused?: string) {
    const { root, subs, command, declared } = commandPath(name);
    const resolved: APIInteractionDataResolved = {};
    const leaf: Record<string, unknown>[] = [];
    const isUser = (v: unknown): v is FakeUser => typeof v === "object" && v !== null && "member" in v && "user" in v;
    for (const [key, v] of Object.entries(values)) {
      const decl = declared?.find((o) => o.name === key);
      if (declared && !decl) throw new Error(`fake-discord: /${name} has no option "${key}" (registered: ${declared.map((o) => o.name).join(", ")})`);
      let type: number;
      let value: unknown = v;
      if (isUser(v)) {
        type = ApplicationCommandOptionType.User;
        value = v.id;
        (resolved.users ??= {})[v.id] = v.user;
        const { user: _u, ...m } = v.member;
        (resolved.members ??= {})[v.id] = m;
      } else if (typeof v === "object") {
        type = v.type;
        value = v.value;
      } else if (typeof v === "string") type = ApplicationCommandOptionType.String;
      else if (typeof v === "boolean") type = ApplicationCommandOptionType.Boolean;
      else type = decl?.type === ApplicationCommandOptionType.Number || !Number.isInteger(v) ? ApplicationCommandOptionType.Number : ApplicationCommandOptionType.Integer;
      if (key === focused) type = decl?.type ?? ApplicationCommandOptionType.String;
      if (decl && decl.type !== type) throw new Error(`fake-discord: option "${key}" of /${name} is declared as type ${decl.type}, got ${type}`);
      leaf.push({ name: key, type, value, ...(key === focused ? { focused: true } : {}) });
    }
    for (const [key, input] of Object.entries(extras.attachments ?? {})) {
      const a = attachment(input);
      (resolved.attachments ??= {})[a.id] = a;
      leaf.push({ name: key, type: ApplicationCommandOptionType.Attachment, value: a.id });
    }
    for (const o of declared ?? []) {
      if ("required" in o && o.required && !leaf.some((l) => l.name === o.name) && focused === undefined) {
        throw new Error(`fake-discord: required option "${o.name}" of /${name} is missing`);
      }
    }
    let options: Record<string, unknown>[] = leaf;
    for (const [i, s] of [...subs].reverse().entries()) {
      const isGroup = subs.length === 2 && i === 1;
      options = [{ name: s, type: isGroup ? ApplicationCommandOptionType.SubcommandGroup : ApplicationCommandOptionType.Subcommand, options }];
    }
    const data: Record<string, unknown> = { id: command?.id ?? snowflake(), name: root, type: ApplicationCommandType.ChatInput, options };
    if (command?.guild_id) data["guild_id"] = command.guild_id;
    if (Object.keys(resolved).length > 0) data["resolved"] = resolved;
    return data;
  }

  function slash(u: FakeUser, name: string, values: Record<string, SlashOptionValue> = {}, extras: SlashExtras = {}): InteractionHandle {
    const data = buildOptions(name, values, extras);
    return newInteraction(
      u,
      InteractionType.ApplicationCommand,
      (b) => ({ ...b, type: InteractionType.ApplicationCommand, data, ...(extras.locale ? { locale: extras.locale } : {}) }) as unknown as APIInteraction,
      { commandName: name },
      extras.from,
    );
  }

  function autocomplete(u: FakeUser, name: string, focusedOption: string, value: string, others: Record<string, SlashOptionValue> = {}, from?: Origin): InteractionHandle {
    const data = buildOptions(name, { ...others, [focusedOption]: value }, {}, focusedOption);
    return newInteraction(
      u,
      InteractionType.ApplicationCommandAutocomplete,
      (b) => ({ ...b, type: InteractionType.ApplicationCommandAutocomplete, data }) as unknown as APIInteraction,
      { commandName: name },
      from,
    );
  }

  function findComponent(components: unknown, customId: string): { type: number } | undefined {
    if (!Array.isArray(components)) return undefined;
    for (const c of components as { type: number; custom_id?: string; components?: unknown; accessory?: unknown }[]) {
      if (c.custom_id === customId) return c;
      const inner = findComponent(c.components, customId) ?? findComponent(c.accessory ? [c.accessory] : undefined, customId);
      if (inner) return inner;
    }
    return undefined;
  }

  function component(u: FakeUser, message: APIMessage | string, customId: string, values?: string[], from?: Origin): InteractionHandle {
    const id = typeof message === "string" ? message : message.id;
    const msg = messages.get(id) ?? (typeof message === "string" ? undefined : message);
    if (!msg) throw new Error(`fake-discord: unknown message ${id}`);
    const comp = findComponent(msg.components, customId);
    if (!comp) throw new Error(`fake-discord: message ${id} has no component with custom_id ${JSON.stringify(customId)}`);
    const data = values ? { custom_id: customId, component_type: comp.type, values } : { custom_id: customId, component_type: ComponentType.Button };
    return newInteraction(
      u,
      InteractionType.MessageComponent,
      (b) => ({ ...b, type: InteractionType.MessageComponent, data, message: structuredClone(msg) }) as unknown as APIInteraction,
      { sourceMessageId: msg.id },
      from,
    );
  }

  function postMessage(u: FakeUser, content: string, o: PostMessageOptions = {}): APIMessage {
    const text = o.mentionsBot && !content.includes(`<@${botUserId}>`) ? `<@${botUserId}> ${content}` : content;
    const reference = typeof o.replyTo === "string" ? messages.get(o.replyTo) : o.replyTo;
    const msg: APIMessage = {
      id: snowflake(),
      channel_id: o.thread ?? o.guild?.channelId ?? channelId,
      author: u.user,
      content: text,
      timestamp: iso(),
      edited_timestamp: null,
      tts: false,
      ...computeMentions(text, undefined, mentionCtx, reference?.author),
      attachments: (o.attachments ?? []).map(attachment),
      embeds: [],
      components: [],
      pinned: false,
      type: reference ? MessageType.Reply : MessageType.Default,
      flags: 0 as MessageFlags,
    };
    if (reference) {
      msg.message_reference = { type: 0, message_id: reference.id, channel_id: reference.channel_id, guild_id: guildOfChannel(reference.channel_id) ?? guildId };
      msg.referenced_message = reference;
    }
    messages.set(msg.id, msg);
    dispatch(GatewayDispatchEvents.MessageCreate, withGuild(msg));
    return msg;
  }

  // ---- REST ---------------------------------------------------------------------------------------
  const routes: { method: string; parts: string[]; auth: boolean; handler: Handler }[] = [];
  const route = (method: string, pattern: string, auth: boolean, handler: Handler) => routes.push({ method, parts: pattern.split("/").filter(Boolean), auth, handler });

  function rejectInvalid(record: RecordedRequest, errs: ValidationError[]): Reply | undefined {
    if (!validate || errs.length === 0) return undefined;
    invalid.push({ request: record, errors: errs });
    if (errs.some((e) => e.code === "EMPTY_MESSAGE")) return fail(400, 50006, "Cannot send an empty message");
    return json(400, { message: "Invalid Form Body", code: 50035, errors: toDiscordErrors(errs) });
  }

  const asMessageBody = (ctx: Ctx): MessageBody => ({ ...(ctx.body as object), files: ctx.files });

  route("GET", "/gateway", false, () => json(200, { url: gatewayUrl }));
  route("GET", "/gateway/bot", true, () =>
    json(200, { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000 - stats.identifies, reset_after: 86_400_000, max_concurrency: 1 } }),
  );
  route("GET", "/users/@me", true, () => json(200, botUser));
  const application = (): APIApplication => ({
    id: applicationId,
    name: botUser.username,
    icon: null,
    description: "",
    summary: "",
    bot_public: false,
    bot_require_code_grant: false,
    bot: botUser,
    verify_key: "0".repeat(64),
    team: null,
    flags: 0 as ApplicationFlags,
    flags_new: "0",
    owner: buildUser(ownerId, "owner", false),
  });
  route("GET", "/applications/@me", true, () => json(200, application()));

  const registerCommands = (guild: string | undefined) => (ctx: Ctx): Reply => {
    if (ctx.params["app"] !== applicationId) return fail(404, 10002, "Unknown Application");
    if (guild && !joinedGuildIds().includes(guild)) return fail(404, 10004, "Unknown Guild");
    const list = (Array.isArray(ctx.body) ? ctx.body : [ctx.body]) as Partial<APIApplicationCommand>[];
    const bad = rejectInvalid(ctx.record, validateCommands(list));
    if (bad) return bad;
    const made = list.map((c) => {
      const old = commands.find((x) => x.name === c.name && x.guild_id === guild && (x.type ?? 1) === (c.type ?? 1));
      const cmd = {
        ...c,
        id: old?.id ?? snowflake(),
        application_id: applicationId,
        version: snowflake(),
        type: c.type ?? ApplicationCommandType.ChatInput,
        default_member_permissions: c.default_member_permissions ?? null,
        nsfw: c.nsfw ?? false,
        ...(guild ? { guild_id: guild } : {}),
      } as APIApplicationCommand;
      return cmd;
    });
    const keep = commands.filter((c) => c.guild_id !== guild || (ctx.record.method === "POST" && !made.some((m) => m.name === c.name)));
    commands.splice(0, commands.length, ...keep, ...made);
    return json(ctx.record.method === "POST" ? 201 : 200, Array.isArray(ctx.body) ? made : made[0]);
  };
  const listCommands = (guild: string | undefined) => () => json(200, commands.filter((c) => c.guild_id === guild));
  route("GET", "/applications/:app/commands", true, listCommands(undefined));
  route("PUT", "/applications/:app/commands", true, registerCommands(undefined));
  route("POST", "/applications/:app/commands", true, registerCommands(undefined));
  route("GET", "/applications/:app/guilds/:guild/commands", true, (ctx) => listCommands(ctx.params["guild"])());
  route("PUT", "/applications/:app/guilds/:guild/commands", true, (ctx) => registerCommands(ctx.params["guild"])(ctx));
  route("POST", "/applications/:app/guilds/:guild/commands", true, (ctx) => registerCommands(ctx.params["guild"])(ctx));

  route("POST", "/interactions/:id/:token/callback", false, (ctx) => {
    const st = interactions.get(ctx.params["id"] ?? "");
    if (!st || st.token !== ctx.params["token"]) return fail(404, 10062, "Unknown interaction");
    if (deadlineMs > 0 && Date.now() - st.createdAt > deadlineMs) {
      invalid.push({ request: ctx.record, errors: [{ path: "", code: "EXPIRED", message: `callback after ${Date.now() - st.createdAt} ms` }] });
      return fail(404, 10062, "Unknown interaction");
    }
    if (st.acknowledged) return fail(400, 40060, "Interaction has already been acknowledged.");
    const body = ctx.body as { type: InteractionResponseType; data?: Record<string, unknown> };
    const allowed: Record<number, InteractionResponseType[]> = {
      [InteractionType.ApplicationCommand]: [4, 5, 9, 12],
      [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 12],
      [InteractionType.ApplicationCommandAutocomplete]: [8],
      [InteractionType.ModalSubmit]: [4, 5, 6, 7],
    };
    if (!allowed[st.kind]?.includes(body.type)) {
      return rejectInvalid(ctx.record, [{ path: "type", code: "INTERACTION_RESPONSE_TYPE_INVALID", message: `Response type ${body.type} is not valid for interaction type ${st.kind}` }]) ?? NO_CONTENT;
    }
    const mbody: MessageBody = { ...(body.data ?? {}), files: ctx.files };
    if (body.type === 4 || body.type === 7) {
      const bad = rejectInvalid(ctx.record, validateMessageBody(mbody, body.type === 4));
      if (bad) return bad;
    }
    if (body.type === 8 && ((body.data?.["choices"] as unknown[] | undefined)?.length ?? 0) > 25) {
      const bad = rejectInvalid(ctx.record, [{ path: "data.choices", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." }]);
      if (bad) return bad;
    }
    st.acknowledged = true;
    st.callbacks.push({ type: body.type, data: body.data ? mbody : undefined, files: ctx.files, at: Date.now() });
    const type = st.kind === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default;
    const ephemeralFlag = Number(body.data?.["flags"] ?? 0) & MESSAGE_FLAG_EPHEMERAL;
    let message: APIMessage | undefined;
    if (body.type === 4) {
      message = buildBotMessage(mbody, { channelId: stChannel(st), type, flags: Number(body.data?.["flags"] ?? 0), st });
      st.originalId = message.id;
      recordSent("callback", mbody, message, true, st);
    } else if (body.type === 5) {
      message = buildBotMessage({ files: [] }, { channelId: stChannel(st), type, flags: MESSAGE_FLAG_LOADING | ephemeralFlag, st });
      st.originalId = message.id;
      if (!ephemeralFlag) echo(GatewayDispatchEvents.MessageCreate, withGuild(message));
    } else if ((body.type === 6 || body.type === 7) && st.sourceMessageId) {
      st.originalId = st.sourceMessageId;
      const src = messages.get(st.sourceMessageId);
      if (src && body.type === 7) recordSent("callback", mbody, (message = applyEdit(src, mbody)), false, st);
    }
    if (ctx.query.get("with_response") !== "true") return NO_CONTENT;
    return json(200, {
      interaction: {
        id: st.id,
        type: st.kind,
        response_message_id: message?.id,
        response_message_loading: body.type === 5,
        response_message_ephemeral: message ? isEphemeral(message) : false,
      },
      resource: { type: body.type, ...(message ? { message } : {}) },
    });
  });

  /** Interaction webhook (application id + interaction token), with Discord's error codes. */
  function webhookTarget(ctx: Ctx): { st: InteractionState; msg?: APIMessage; error?: Reply } {
    const st = byToken.get(ctx.params["token"] ?? "");
    if (!st || ctx.params["app"] !== applicationId) return { st: st as InteractionState, error: fail(404, 10015, "Unknown Webhook") };
    if (!st.acknowledged) return { st, error: fail(404, 10015, "Unknown Webhook") };
    const ref = ctx.params["msg"];
    if (ref === undefined) return { st };
    const id = ref === "@original" ? st.originalId : ref;
    const ok = id !== undefined && (id === st.originalId || st.followupIds.includes(id));
    const msg = ok ? messages.get(id) : undefined;
    return msg ? { st, msg } : { st, error: fail(404, 10008, "Unknown Message") };
  }

  route("POST", "/webhooks/:app/:token", false, (ctx) => {
    const { st, error } = webhookTarget(ctx);
    if (error) return error;
    const body = asMessageBody(ctx);
    const bad = rejectInvalid(ctx.record, validateMessageBody(body, true));
    if (bad) return bad;
    const original = st.originalId ? messages.get(st.originalId) : undefined;
    let msg: APIMessage;
    const replacesDeferral = original !== undefined && ((original.flags ?? 0) & MESSAGE_FLAG_LOADING) !== 0;
    if (original && replacesDeferral) {
      // Discord: the first follow-up after a deferred reply replaces the "is thinking..." message
      // (and inherits its ephemeral flag).
      msg = applyEdit(original, body);
    } else {
      const flags = Number(body.flags ?? 0);
      msg = buildBotMessage(body, { channelId: stChannel(st), type: MessageType.ChatInputCommand, flags, st });
      st.followupIds.push(msg.id);
    }
    st.followups.push(body);
    recordSent("followup", body, msg, !replacesDeferral, st);
    return json(200, msg);
  });
  route("GET", "/webhooks/:app/:token/messages/:msg", false, (ctx) => {
    const { msg, error } = webhookTarget(ctx);
    return error ?? json(200, msg);
  });
  route("PATCH", "/webhooks/:app/:token/messages/:msg", false, (ctx) => {
    const { st, msg, error } = webhookTarget(ctx);
    if (error || !msg) return error ?? fail(404, 10008, "Unknown Message");
    const body = asMessageBody(ctx);
    const bad = rejectInvalid(ctx.record, validateMessageBody(body, false));
    if (bad) return bad;
    applyEdit(msg, body);
    if (msg.id === st.originalId) st.edits.push(body);
    recordSent("edit", body, msg, false, st);
    return json(200, msg);
  });
  route("DELETE", "/webhooks/:app/:token/messages/:msg", false, (ctx) => {
    const { st, msg, error } = webhookTarget(ctx);
    if (error || !msg) return error ?? fail(404, 10008, "Unknown Message");
    messages.delete(msg.id);
    if (msg.id === st.originalId) st.originalId = undefined;
    if (!isEphemeral(msg)) echo(GatewayDispatchEvents.MessageDelete, { id: msg.id, channel_id: msg.channel_id, guild_id: guildId });
    return NO_CONTENT;
  });

  const knownChannel = (ctx: Ctx) => {
    const g = guildOfChannel(ctx.params["channel"] ?? "");
    return g !== undefined && joinedGuildIds().includes(g);
  };
  route("GET", "/channels/:channel", true, (ctx) => (knownChannel(ctx) ? json(200, channel) : fail(404, 10003, "Unknown Channel")));
  route("POST", "/channels/:channel/typing", true, (ctx) => {
    if (!knownChannel(ctx)) return fail(404, 10003, "Unknown Channel");
    typing.push({ channelId: ctx.params["channel"] ?? channelId, at: Date.now() });
    return NO_CONTENT;
  });
  route("POST", "/channels/:channel/messages", true, (ctx) => {
    if (!knownChannel(ctx)) return fail(404, 10003, "Unknown Channel");
    const body = asMessageBody(ctx);
    const errs = validateMessageBody(body, true);
    const refId = body.message_reference?.message_id;
    const reference = refId ? messages.get(refId) : undefined;
    if (refId && !reference && body.message_reference?.fail_if_not_exists !== false) {
      errs.push({ path: "message_reference", code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", message: "Unknown message" });
    }
    const bad = rejectInvalid(ctx.record, errs);
    if (bad) return bad;
    const msg = buildBotMessage(body, { channelId: ctx.params["channel"] ?? channelId, type: reference ? MessageType.Reply : MessageType.Default, flags: Number(body.flags ?? 0), ...(reference ? { reference } : {}) });
    recordSent("channel", body, msg, true);
    return json(200, msg);
  });
  const channelMessage = (ctx: Ctx) => (knownChannel(ctx) ? messages.get(ctx.params["msg"] ?? "") : undefined);
  route("GET", "/channels/:channel/messages/:msg", true, (ctx) => {
    const msg = channelMessage(ctx);
    return msg && !isEphemeral(msg) ? json(200, msg) : fail(404, 10008, "Unknown Message");
  });
  route("PATCH", "/channels/:channel/messages/:msg", true, (ctx) => {
    const msg = channelMessage(ctx);
    if (!msg) return fail(404, 10008, "Unknown Message");
    if (msg.author.id !== botUserId) return fail(403, 50005, "Cannot edit a message authored by another user");
    const body = asMessageBody(ctx);
    const bad = rejectInvalid(ctx.record, validateMessageBody(body, false));
    if (bad) return bad;
    recordSent("channel-edit", body, applyEdit(msg, body), false);
    return json(200, msg);
  });
  route("DELETE", "/channels/:channel/messages/:msg", true, (ctx) => {
    const msg = channelMessage(ctx);
    if (!msg) return fail(404, 10008, "Unknown Message");
    messages.delete(msg.id);
    echo(GatewayDispatchEvents.MessageDelete, { id: msg.id, channel_id: msg.channel_id, guild_id: guildId });
    return NO_CONTENT;
  });
  route("PUT", "/channels/:channel/messages/:msg/reactions/:emoji/@me", true, (ctx) => {
    if (!channelMessage(ctx)) return fail(404, 10008, "Unknown Message");
    reactions.push({ channelId, messageId: ctx.params["msg"] ?? "", emoji: ctx.params["emoji"] ?? "" });
    return NO_CONTENT;
  });

  const knownGuild = (ctx: Ctx) => ctx.params["guild"] === guildId;
  route("DELETE", "/users/@me/guilds/:guild", true, (ctx) => {
    const g = otherGuilds.get(ctx.params["guild"] ?? "");
    const id = ctx.params["guild"] ?? "";
    if (id !== guildId && !g?.joined) return fail(404, 10004, "Unknown Guild");
    if (g?.refuseLeave) return fail(403, 50001, "Missing Access");
    if (g) g.joined = false;
    leftGuilds.push(id);
    echo(GatewayDispatchEvents.GuildDelete, { id });
    return NO_CONTENT;
  });
  route("GET", "/guilds/:guild", true, (ctx) => (knownGuild(ctx) ? json(200, guildCreate()) : fail(404, 10004, "Unknown Guild")));
  route("GET", "/guilds/:guild/channels", true, (ctx) => (knownGuild(ctx) ? json(200, [channel]) : fail(404, 10004, "Unknown Guild")));
  route("GET", "/guilds/:guild/roles", true, (ctx) => (knownGuild(ctx) ? json(200, roles) : fail(404, 10004, "Unknown Guild")));
  route("GET", "/guilds/:guild/members/:user", true, (ctx) => {
    const m = knownGuild(ctx) ? members.get(ctx.params["user"] ?? "") : undefined;
    return m ? json(200, m) : fail(404, 10007, "Unknown Member");
  });

  // ---- HTTP ---------------------------------------------------------------------------------------
  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/attachments/") && (method === "GET" || method === "HEAD")) {
      const file = files.get(url.pathname.split("/")[3] ?? "");
      if (!file) return send(res, fail(404, 0, "404: Not Found"));
      downloads.push({ url: url.toString(), name: file.name, at: Date.now() });
      res.writeHead(200, { "content-type": file.contentType, "content-length": file.data.length });
      return void res.end(method === "HEAD" ? undefined : file.data);
    }
    const { body, files: uploads } = await readBody(req);
    const rawPath = url.pathname.replace(/^\/api(\/v\d+)?/, "");
    const segments = rawPath.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (k !== "authorization" && v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const authHeader = req.headers.authorization;
    const record: RecordedRequest = {
      method,
      path: "/" + segments.join("/"),
      rawPath,
      query: Object.fromEntries(url.searchParams),
      headers,
      auth: authHeader === undefined ? "none" : authHeader === `Bot ${token}` ? "valid" : "invalid",
      body,
      files: uploads,
      status: 0,
      at: Date.now(),
    };
    let reply: Reply | undefined;
    for (const r of url.pathname.startsWith("/api/") ? routes : []) {
      if (r.method !== method || r.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      if (!r.parts.every((p, i) => (p.startsWith(":") ? ((params[p.slice(1)] = segments[i] as string), true) : p === segments[i]))) continue;
      // Handlers are synchronous so that the request is recorded (with its status) before any
      // waiter resolved by the handler (waitForEdit, ...) gets to run.
      try {
        reply = r.auth && record.auth !== "valid" ? fail(401, 0, "401: Unauthorized") : r.handler({ params, body, files: uploads, query: url.searchParams, record });
      } catch (err) {
        errors.push(err);
        reply = json(500, { message: `fake-discord handler error: ${String(err)}`, code: 0 });
      }
      break;
    }
    if (!reply) {
      reply = fail(404, 0, "404: Not Found");
      unhandled.push(record);
    }
    record.status = reply.status;
    requests.push(record);
    send(res, reply);
  }

  // ---- public API -------------------------------------------------------------------------------
  let closed = false;
  return {
    apiUrl,
    gatewayUrl,
    token,
    guildId,
    channelId,
    applicationId,
    botUser,
    botMember,
    roles: { everyone, moderator, bot: botRole },
    channel,
    stats,
    /** Registered application commands (global and guild; guild ones carry guild_id). */
    commands,
    /** Every REST call (not attachment downloads), in order. */
    requests: requests.items,
    /** REST calls that matched no route (answered 404). */
    unhandled,
    /** Requests rejected by Discord-side validation (limits, empty message, late callback, ...). */
    invalid,
    /** Exceptions thrown inside the fake's handlers (answered 500). */
    errors,
    /** Every message the bot sent or edited: callbacks (4/7), edits, follow-ups, channel posts. */
    sentMessages: sent.items,
    downloads,
    reactions,
    typing,
    /** Gateway payloads received from the client (except heartbeats; tokens redacted). */
    received,
    /** Intents of the current gateway session (from IDENTIFY). */
    get intents(): number | undefined {
      return gateway.intents;
    },
    user,
    /**
     * Another server with the bot in it: before the client connects it is listed in READY; after,
     * the bot is "added" to it (GUILD_CREATE), as when a stranger invites it.
     */
    addGuild(input: { name?: string; id?: string; refuseLeave?: boolean } = {}): FakeGuild {
      const id = input.id ?? snowflake();
      const g: FakeGuild & { joined: boolean; refuseLeave: boolean } = {
        id,
        name: input.name ?? "Elsewhere",
        channelId: snowflake(),
        channel: buildTextChannel("", id, "general"),
        ownerId: snowflake(),
        roles: [buildRole(id, "@everyone", toPermissionString(undefined, DEFAULT_EVERYONE_PERMISSIONS), 0), buildRole(snowflake(), botUser.username, "0", 1, true)],
        joined: true,
        refuseLeave: input.refuseLeave ?? false,
      };
      g.channel = buildTextChannel(g.channelId, id, "general");
      g.roles[1]!.tags = { bot_id: botUserId };
      otherGuilds.set(id, g);
      echo(GatewayDispatchEvents.GuildCreate, otherGuildCreate(g));
      return g;
    },
    /**
     * A member starts a public thread from a message in the newsroom's channel (THREAD_CREATE), as
     * Discord's "Create Thread" on a message does; returns the thread's id (the message's id).
     */
    startThread(from: APIMessage | string, name = "Follow-up"): string {
      const id = typeof from === "string" ? from : from.id;
      const thread = {
        id,
        type: 11,
        guild_id: guildId,
        parent_id: channelId,
        name,
        owner_id: ownerId,
        last_message_id: null,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: iso(), locked: false },
        newly_created: true,
      };
      threads.set(id, thread);
      dispatch(GatewayDispatchEvents.ThreadCreate, thread);
      return id;
    },
    /** Ids of the servers the bot left (DELETE /users/@me/guilds/:id), in order. */
    leftGuilds,
    hostFile,
    attachment,
    slash,
    autocomplete,
    clickButton: (u: FakeUser, message: APIMessage | string, customId: string, from?: Origin) => component(u, message, customId, undefined, from),
    selectMenu: (u: FakeUser, message: APIMessage | string, customId: string, values: string[]) => component(u, message, customId, values),
    postMessage,
    /** Current state of a stored message (bot or user), or undefined. */
    message: (id: string): APIMessage | undefined => messages.get(id),
    /** Raw dispatch for events the helpers don't cover. */
    dispatch,
    /** First message the bot POSTed to a channel matching `predicate` (already sent or future). */
    waitForMessage: (predicate: (m: SentMessage) => boolean = () => true, timeoutMs?: number) =>
      sent.waitFor((m) => m.kind === "channel" && predicate(m), timeoutMs),
    /** First sent message of any kind matching `predicate` (already sent or future). */
    waitForSent: (predicate: (m: SentMessage) => boolean = () => true, timeoutMs?: number) => sent.waitFor(predicate, timeoutMs),
    waitForRequest: (predicate: (r: RecordedRequest) => boolean, timeoutMs?: number) => requests.waitFor(predicate, timeoutMs),
    /** Resolves on the next successful RESUME after this call. */
    waitForResume: (timeoutMs?: number) => {
      const n = stats.resumes;
      return sessions.waitFor((s) => s.kind === "resume" && s.index > n, timeoutMs);
    },
    /** Resolves on the next IDENTIFY (READY sent) after this call. */
    waitForIdentify: (timeoutMs?: number) => {
      const n = stats.identifies;
      return sessions.waitFor((s) => s.kind === "identify" && s.index > n, timeoutMs);
    },
    /** Closes the gateway socket (4000 = resumable). `invalidateSession` makes the RESUME fail (op 9). */
    dropConnection(code = 4000, opts: { invalidateSession?: boolean } = {}): void {
      gateway.drop(code, opts.invalidateSession ?? false);
    },
    /** Throws if anything unexpected happened: unknown routes, rejected payloads, handler errors. */
    assertClean(): void {
      const problems = [
        ...unhandled.map((r) => `unhandled ${r.method} ${r.path}`),
        ...invalid.map((i) => `invalid ${i.request.method} ${i.request.path}: ${i.errors.map((e) => `${e.path} ${e.message}`).join("; ")}`),
        ...errors.map((e) => `handler error: ${String(e)}`),
      ];
      if (problems.length) throw new Error(`fake-discord saw unexpected traffic:\n  ${problems.join("\n  ")}`);
    },
    /** Forgets recorded traffic (requests, sent messages, unhandled, ...); keeps session and world state. */
    clearRecords(): void {
      for (const list of [requests.items, sent.items, unhandled, invalid, errors, downloads, reactions, typing, received, leftGuilds]) list.length = 0;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const r of recorders) r.cancelAll(new Error("fake-discord closed"));
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
