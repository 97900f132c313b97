import { GuildMember, PermissionFlagsBits, type Interaction, type Message, type PermissionsBitField } from "discord.js";
import type { BotConfig, RoleRules } from "./config.ts";

/**
 * The one place that decides who may do what, for every slash command, button, autocomplete and
 * @mention. It exists because the coverage is shared: before it, a stranger who invited the bot to
 * their own server (or a member with Manage Messages there) counted as a moderator of the newsroom's
 * coverage and could `/forget` its stories or `/ingest` invented ones, which the bot then quoted to
 * the newsroom's members with a citation.
 *
 * The decision is made from the server the interaction came from, on every interaction, never from
 * where commands happen to be registered: a stale global command still reaches the bot from anywhere.
 */
export type Need =
  /** Ask questions and read the coverage. */
  | "read"
  /** Change the coverage (/ingest, /forget, and what later changes it). */
  | "moderate"
  /** See staff data (claims, receipts, gaps, web links). */
  | "staff";

export type Decision = { ok: true } | { ok: false; reason: string; message: string };

export type AccessPolicy = Pick<BotConfig, "guilds" | "otherServers" | "moderatorRoles" | "staffRoles">;

/** Who is asking, and from where: read once from an interaction or a message. */
export interface Requester {
  /** null in a direct message. */
  guildId: string | null;
  permissions: Readonly<PermissionsBitField> | null;
  roleIds: string[];
  /** A role's name in the requester's server, to match roles configured by name. */
  roleName(id: string): string | undefined;
}

export function requesterOf(source: Interaction | Message): Requester {
  const guild = source.guild;
  const roleName = (id: string) => guild?.roles.cache.get(id)?.name;
  if (!source.inGuild()) return { guildId: null, permissions: null, roleIds: [], roleName };
  if ("memberPermissions" in source) {
    const member = source.member;
    const roleIds = member instanceof GuildMember ? [...member.roles.cache.keys()] : (member?.roles ?? []);
    return { guildId: source.guildId, permissions: source.memberPermissions, roleIds, roleName };
  }
  const member = source.member;
  return { guildId: source.guildId, permissions: member?.permissions ?? null, roleIds: member ? [...member.roles.cache.keys()] : [], roleName };
}

const ACTIONS: Record<Exclude<Need, "read">, string> = { moderate: "change the coverage", staff: "use the newsroom's staff tools" };

/**
 * May this requester do this? `action` words the refusal ("add articles"). Permissions and roles
 * count only in the newsroom's own servers; anywhere else nobody moderates, whatever their rank there.
 */
export function decide(policy: AccessPolicy, who: Requester, need: Need, action: string = need === "read" ? "ask questions" : ACTIONS[need]): Decision {
  const own = who.guildId !== null && policy.guilds.includes(who.guildId);
  if (need === "read") {
    if (own || who.guildId === null || policy.otherServers === "read-only" || policy.guilds.length === 0) return { ok: true };
    return { ok: false, reason: "server not allowed", message: "I serve this newsroom's own servers only, so I can't answer here." };
  }
  if (policy.guilds.length === 0) {
    return {
      ok: false,
      reason: "no newsroom server configured",
      message:
        `Nobody can ${action} from Discord yet: the bot's operator has not named the newsroom's servers. ` +
        "They set DISCORD_GUILDS=<server id> in the bot's .env and restart it. Nothing was changed.",
    };
  }
  if (who.guildId === null) return { ok: false, reason: "direct message", message: `You can't ${action} in a direct message, only in the newsroom's own server. Nothing was changed.` };
  if (!own) {
    return { ok: false, reason: "server not allowed", message: `This server is not one of the newsroom's servers, so nobody can ${action} from here. Nothing was changed.` };
  }
  if (need === "moderate") {
    const perms = who.permissions;
    if (perms?.has(PermissionFlagsBits.ManageMessages) || perms?.has(PermissionFlagsBits.ManageGuild) || hasRole(who, policy.moderatorRoles)) return { ok: true };
    return { ok: false, reason: "not a moderator", message: refusal("moderators", action, "members with the Manage Messages or Manage Server permission", rolesIn(policy.moderatorRoles, who.guildId)) };
  }
  if (who.permissions?.has(PermissionFlagsBits.ManageGuild) || hasRole(who, policy.staffRoles)) return { ok: true };
  return { ok: false, reason: "not staff", message: refusal("newsroom staff", action, "members with the Manage Server permission", rolesIn(policy.staffRoles, who.guildId)) };
}

/** The roles configured for one server: those for every newsroom server plus its own. */
export function rolesIn(rules: RoleRules, guildId: string): string[] {
  return [...rules.all, ...(rules.byGuild[guildId] ?? [])];
}

function hasRole(who: Requester, rules: RoleRules): boolean {
  if (who.guildId === null) return false;
  const wanted = new Set(rolesIn(rules, who.guildId).map((r) => r.toLowerCase()));
  if (wanted.size === 0) return false;
  return who.roleIds.some((id) => wanted.has(id) || wanted.has(who.roleName(id)?.toLowerCase() ?? "\0"));
}

function refusal(kind: string, action: string, who: string, roles: string[]): string {
  const named = roles.length ? `, or the ${roles.map((r) => `"${r}"`).join(" / ")} role` : "";
  return `Only ${kind} can ${action}: ${who}${named}. Nothing was changed.`;
}
