/**
 * Payload builders and Discord-side validation for the fake Discord server (server.ts).
 * Kept separate so the server file stays about protocol and routing.
 */
import { embedLength } from "discord.js";
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildHubType,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIAllowedMentions,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type APIAttachment,
  type APIEmbed,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type RESTAPIMessageReference,
} from "discord-api-types/v10";

// ---------------------------------------------------------------------------------------------
// Ids and time

const DISCORD_EPOCH = 1420070400000n;
let snowflakeCounter = 0n;

/** A real, time-ordered snowflake (discord.js derives createdTimestamp from it). */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeCounter).toString();
}

export const iso = (ms: number = Date.now()): string => new Date(ms).toISOString();

export function toPermissionString(p: bigint | string | undefined, fallback: bigint): string {
  if (p === undefined) return fallback.toString();
  return typeof p === "bigint" ? p.toString() : BigInt(p).toString();
}

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);

/** Guild-level permission computation like Discord's: @everyone | roles, Administrator -> everything. */
export function computePermissions(roles: readonly APIRole[], memberRoleIds: readonly string[], everyoneId: string): bigint {
  let p = 0n;
  for (const role of roles) {
    if (role.id === everyoneId || memberRoleIds.includes(role.id)) p |= BigInt(role.permissions);
  }
  return p & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : p;
}

// ---------------------------------------------------------------------------------------------
// Defaults

export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

export const DEFAULT_MODERATOR_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.ManageGuild |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers;

// ---------------------------------------------------------------------------------------------
// Builders

export function buildUser(id: string, username: string, bot: boolean): APIUser {
  return { id, username, discriminator: "0", global_name: bot ? null : username, avatar: null, bot };
}

export function buildRole(id: string, name: string, permissions: bigint | string, position: number, managed = false): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function buildMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function buildInteractionMember(member: APIGuildMember, permissions: string): APIInteractionGuildMember {
  return { ...member, user: member.user, permissions };
}

export function buildTextChannel(id: string, guildId: string, name: string): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

export function buildGuild(opts: {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channels: APITextChannel[];
  members: APIGuildMember[];
  joinedAt: string;
}): GatewayGuildCreateDispatchData {
  return {
    id: opts.id,
    name: opts.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: opts.ownerId,
    region: "",
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: opts.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null as GuildHubType | null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    // GUILD_CREATE extra fields
    joined_at: opts.joinedAt,
    large: false,
    unavailable: false,
    member_count: opts.members.length,
    voice_states: [],
    members: opts.members,
    channels: opts.channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** What the bot sent as a message (JSON body, or multipart payload_json plus the uploaded files). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  allowed_mentions?: APIAllowedMentions;
  flags?: number;
  tts?: boolean;
  message_reference?: RESTAPIMessageReference;
  attachments?: Array<Partial<APIAttachment> & { id: string | number }>;
  /** Files uploaded with the request (multipart); always present, empty for JSON bodies. */
  files: UploadedFile[];
  [key: string]: unknown;
}

export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface MentionContext {
  users: ReadonlyMap<string, APIUser>;
  roles: readonly APIRole[];
}

/**
 * Which users/roles/@everyone a message actually mentions, honouring allowed_mentions the way
 * Discord does (absent allowed_mentions = everything parsed from content is mentioned).
 */
export function computeMentions(
  content: string,
  allowed: APIAllowedMentions | undefined,
  ctx: MentionContext,
  repliedUser?: APIUser,
): Pick<APIMessage, "mentions" | "mention_roles" | "mention_everyone"> {
  const parse = allowed?.parse;
  const userAllowed = (id: string) =>
    !allowed || (parse ?? []).includes("users" as never) || (allowed.users ?? []).includes(id);
  const roleAllowed = (id: string) =>
    !allowed || (parse ?? []).includes("roles" as never) || (allowed.roles ?? []).includes(id);
  const mentions: APIUser[] = [];
  for (const m of content.matchAll(/<@!?(\d{15,21})>/g)) {
    const id = m[1] as string;
    const user = ctx.users.get(id);
    if (user && userAllowed(id) && !mentions.some((u) => u.id === id)) mentions.push(user);
  }
  // Replies ping the replied-to author when allowed_mentions is absent; when it is present,
  // only with replied_user: true (its default is false).
  if (repliedUser && (!allowed || allowed.replied_user === true) && !mentions.some((u) => u.id === repliedUser.id)) {
    mentions.push(repliedUser);
  }
  const mention_roles: string[] = [];
  for (const m of content.matchAll(/<@&(\d{15,21})>/g)) {
    const id = m[1] as string;
    if (ctx.roles.some((r) => r.id === id) && roleAllowed(id) && !mention_roles.includes(id)) mention_roles.push(id);
  }
  const everyoneAllowed = !allowed || (parse ?? []).includes("everyone" as never);
  const mention_everyone = everyoneAllowed && /@(everyone|here)\b/.test(content);
  return { mentions, mention_roles, mention_everyone };
}

export function attachmentsFromFiles(files: readonly UploadedFile[], url: (f: UploadedFile, id: string) => string): APIAttachment[] {
  return files.map((f) => {
    const id = snowflake();
    const u = url(f, id);
    return { id, filename: f.name, size: f.data.length, url: u, proxy_url: u, content_type: f.contentType };
  });
}

export const MESSAGE_FLAG_EPHEMERAL = MessageFlags.Ephemeral as number;
export const MESSAGE_FLAG_LOADING = MessageFlags.Loading as number;
export const MESSAGE_FLAG_COMPONENTS_V2 = MessageFlags.IsComponentsV2 as number;
export { MessageType };

// ---------------------------------------------------------------------------------------------
// Validation: the limits Discord enforces server-side (400, code 50035 "Invalid Form Body").

export interface ValidationError {
  path: string;
  code: string;
  message: string;
}

function maxLen(errors: ValidationError[], path: string, value: unknown, max: number): void {
  if (typeof value === "string" && value.length > max) {
    errors.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` });
  }
}

interface LooseComponent {
  type?: number;
  custom_id?: string;
  label?: string;
  url?: string;
  style?: number;
  components?: LooseComponent[];
  accessory?: LooseComponent;
}

/** Validates a message body; `create` = a new message (must not be empty). */
export function validateMessageBody(body: MessageBody, create: boolean): ValidationError[] {
  const errors: ValidationError[] = [];
  maxLen(errors, "content", body.content, 2000);
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) errors.push({ path: "embeds", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." });
  let total = 0;
  embeds.forEach((e, i) => {
    const p = `embeds.${i}`;
    maxLen(errors, `${p}.title`, e.title, 256);
    maxLen(errors, `${p}.description`, e.description, 4096);
    maxLen(errors, `${p}.footer.text`, e.footer?.text, 2048);
    maxLen(errors, `${p}.author.name`, e.author?.name, 256);
    const fields = e.fields ?? [];
    if (fields.length > 25) errors.push({ path: `${p}.fields`, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
    fields.forEach((f, j) => {
      if (!f.name) errors.push({ path: `${p}.fields.${j}.name`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      if (!f.value) errors.push({ path: `${p}.fields.${j}.value`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      maxLen(errors, `${p}.fields.${j}.name`, f.name, 256);
      maxLen(errors, `${p}.fields.${j}.value`, f.value, 1024);
    });
    total += embedLength(e);
  });
  if (total > 6000) errors.push({ path: "embeds", code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" });

  const components = (body.components ?? []) as LooseComponent[];
  const v2 = ((body.flags ?? 0) & MESSAGE_FLAG_COMPONENTS_V2) !== 0;
  if (!v2 && components.length > 5) errors.push({ path: "components", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 5 or fewer in length." });
  const walk = (c: LooseComponent, p: string): void => {
    if (c.custom_id !== undefined) maxLen(errors, `${p}.custom_id`, c.custom_id, 100);
    if (c.type === 2) {
      maxLen(errors, `${p}.label`, c.label, 80);
      if (c.style !== 5 && c.style !== 6 && !c.custom_id) errors.push({ path: `${p}.custom_id`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      if (c.style === 5 && !c.url) errors.push({ path: `${p}.url`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    }
    if (c.type === 1 && (c.components?.length ?? 0) > 5) {
      errors.push({ path: `${p}.components`, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 5 or fewer in length." });
    }
    c.components?.forEach((child, i) => walk(child, `${p}.components.${i}`));
    if (c.accessory) walk(c.accessory, `${p}.accessory`);
  };
  components.forEach((c, i) => walk(c, `components.${i}`));

  const am = body.allowed_mentions;
  if (am?.parse?.includes("users" as never) && am.users?.length) {
    errors.push({ path: "allowed_mentions", code: "MUTUALLY_EXCLUSIVE", message: 'parse:["users"] and users: [ids] are mutually exclusive.' });
  }
  if (am?.parse?.includes("roles" as never) && am.roles?.length) {
    errors.push({ path: "allowed_mentions", code: "MUTUALLY_EXCLUSIVE", message: 'parse:["roles"] and roles: [ids] are mutually exclusive.' });
  }
  if (create && !body.content && embeds.length === 0 && components.length === 0 && body.files.length === 0 && !body["sticker_ids"] && !body["poll"]) {
    errors.push({ path: "", code: "EMPTY_MESSAGE", message: "Cannot send an empty message" });
  }
  return errors;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface LooseCommandOption {
  type?: number;
  name?: string;
  description?: string;
  options?: LooseCommandOption[];
  choices?: unknown[];
}

export function validateCommands(commands: readonly LooseCommandOption[]): ValidationError[] {
  const errors: ValidationError[] = [];
  if (commands.length > 100) errors.push({ path: "", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." });
  const walk = (o: LooseCommandOption, p: string, chatInput: boolean): void => {
    const name = o.name ?? "";
    if (chatInput && (!COMMAND_NAME.test(name) || name !== name.toLowerCase())) {
      errors.push({ path: `${p}.name`, code: "APPLICATION_COMMAND_INVALID_NAME", message: `Command name is invalid: ${JSON.stringify(name)}` });
    }
    if (!chatInput) maxLen(errors, `${p}.name`, name, 32);
    if (chatInput && (!o.description || o.description.length > 100)) {
      errors.push({ path: `${p}.description`, code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." });
    }
    if ((o.options?.length ?? 0) > 25) errors.push({ path: `${p}.options`, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
    if ((o.choices?.length ?? 0) > 25) errors.push({ path: `${p}.choices`, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
    o.options?.forEach((child, i) => walk(child, `${p}.options.${i}`, true));
  };
  commands.forEach((c, i) => walk(c, `${i}`, (c.type ?? 1) === 1));
  return errors;
}

/** Discord's nested error shape: {"embeds": {"0": {"title": {"_errors": [...]}}}}. */
export function toDiscordErrors(errors: readonly ValidationError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const e of errors) {
    let node = root;
    for (const key of e.path ? e.path.split(".") : []) node = (node[key] ??= {}) as Record<string, unknown>;
    ((node["_errors"] ??= []) as unknown[]).push({ code: e.code, message: e.message });
  }
  return root;
}
