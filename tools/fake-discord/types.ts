/** What the fake Discord's users (tests, the load bench) see of it: options, handles and records. */
import type {
  APIApplicationCommandOptionChoice,
  APIAttachment,
  APIInteraction,
  APIInteractionGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIUser,
  ApplicationCommandOptionType,
  InteractionResponseType,
  Locale,
} from "discord-api-types/v10";
import type { MessageBody, UploadedFile } from "./payloads.ts";

export interface FakeDiscordOptions {
  guildId?: string;
  channelId?: string;
  botUserId?: string;
  /** Defaults to botUserId (as for every modern Discord app). */
  applicationId?: string;
  token?: string;
  botUsername?: string;
  /** Permissions of @everyone (default: the usual member permissions incl. SendMessages, EmbedLinks). */
  everyonePermissions?: bigint | string;
  /** Extra permissions of the bot's managed role (default none beyond @everyone). */
  botPermissions?: bigint | string;
  /** HELLO heartbeat_interval (default 41250 like Discord; lower it to exercise heartbeats). */
  heartbeatIntervalMs?: number;
  /** Callbacks later than this after INTERACTION_CREATE get 404 "Unknown interaction" (default 3000; 0 = off). */
  interactionDeadlineMs?: number;
  /** Reject over-limit / malformed payloads with 400 like Discord (default true). */
  validate?: boolean;
  /** Default timeout of every waitFor* helper (default 2000 ms). */
  waitTimeoutMs?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  bot: boolean;
  user: APIUser;
  /** Member as sent in interactions (with the computed `permissions` bitfield string). */
  member: APIInteractionGuildMember;
  roles: string[];
  permissions: string;
}

export interface FakeUserInput {
  id?: string;
  username: string;
  /** Explicit interaction `member.permissions`; default = @everyone | permissions of `roles`. */
  permissions?: bigint | string;
  /** Role ids or role names ("Moderator"). */
  roles?: string[];
  bot?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, URL-decoded ("/webhooks/1/tok/messages/@original"). */
  path: string;
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased request headers without `authorization`. */
  headers: Record<string, string>;
  auth: "valid" | "invalid" | "none";
  body: unknown;
  files: UploadedFile[];
  status: number;
  at: number;
}

export type SentKind = "callback" | "edit" | "followup" | "channel" | "channel-edit";

/** One message the bot sent or edited, with the resulting message object. */
export interface SentMessage {
  kind: SentKind;
  body: MessageBody;
  message: APIMessage;
  channelId: string;
  interactionId?: string;
  ephemeral: boolean;
  at: number;
}

export interface RecordedCallback {
  type: InteractionResponseType;
  data: (Partial<MessageBody> & { choices?: APIApplicationCommandOptionChoice[]; custom_id?: string; title?: string }) | undefined;
  files: UploadedFile[];
  at: number;
}

export interface InteractionHandle {
  id: string;
  token: string;
  payload: APIInteraction;
  callbacks: RecordedCallback[];
  /** Bodies of PATCH @original, in order. */
  edits: MessageBody[];
  /** Bodies of follow-up POSTs, in order. */
  followups: MessageBody[];
  /** Every message sent/edited for this interaction (callback 4/7, edits, follow-ups). */
  replies: SentMessage[];
  /** First callback (of `type`, if given) recorded so far or arriving before the timeout. */
  waitForCallback(type?: InteractionResponseType, timeoutMs?: number): Promise<RecordedCallback>;
  /** First PATCH @original body matching `predicate`, already recorded or future. */
  waitForEdit(predicate?: (b: MessageBody) => boolean, timeoutMs?: number): Promise<MessageBody>;
  waitForFollowup(predicate?: (b: MessageBody) => boolean, timeoutMs?: number): Promise<MessageBody>;
  /** First sent message (any kind) for this interaction matching `predicate`. */
  waitForReply(predicate?: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  /** Choices of the autocomplete callback (type 8). */
  waitForChoices(timeoutMs?: number): Promise<APIApplicationCommandOptionChoice[]>;
  /** Current state of @original (undefined until acknowledged with a message). */
  original(): APIMessage | undefined;
}

export type AttachmentInput = APIAttachment | { name: string; data: Buffer | Uint8Array | string; contentType?: string };
export type SlashOptionValue =
  | string
  | number
  | boolean
  | FakeUser
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

export interface SlashExtras {
  /** Attachment options by option name; `data` is hosted by the fake and downloadable over HTTP. */
  attachments?: Record<string, AttachmentInput>;
  locale?: Locale;
  /** Send it from another server (a handle from `addGuild`) or as a direct message (default: the newsroom's server). */
  from?: Origin;
}

/** Where an interaction or message comes from: another server the fake knows, or a DM. */
export type Origin = FakeGuild | "dm";

/** A server besides the newsroom's, made with `addGuild`. */
export interface FakeGuild {
  id: string;
  name: string;
  channelId: string;
  channel: APITextChannel;
  ownerId: string;
  roles: APIRole[];
}

export interface PostMessageOptions {
  mentionsBot?: boolean;
  attachments?: AttachmentInput[];
  /** Makes it a reply (type 19) to this message. */
  replyTo?: APIMessage | string;
  /** Post it in another server's channel (a handle from `addGuild`). */
  guild?: FakeGuild;
  /** Post it in a thread (an id from `startThread`). */
  thread?: string;
}

export interface FakeDiscordStats {
  connections: number;
  identifies: number;
  resumes: number;
  invalidSessions: number;
  heartbeats: number;
  dispatches: number;
  /** Dispatches not sent because the client lacks the intent (e.g. MESSAGE_CREATE without GuildMessages). */
  suppressed: number;
}
