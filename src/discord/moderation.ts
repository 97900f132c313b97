import { GuildMember, PermissionFlagsBits, type Interaction } from "discord.js";

/**
 * Who may change the coverage: members with Manage Messages or Manage Server, or with one of the
 * roles named (by name or id) in DISCORD_MODERATOR_ROLE. Outside a server nobody is.
 */
export function isModerator(interaction: Interaction, moderatorRoles: readonly string[]): boolean {
  if (!interaction.inGuild()) return false;
  const perms = interaction.memberPermissions;
  if (perms?.has(PermissionFlagsBits.ManageMessages) || perms?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (moderatorRoles.length === 0) return false;
  const wanted = new Set(moderatorRoles.map((r) => r.toLowerCase()));
  const member = interaction.member;
  const roleIds: string[] = member instanceof GuildMember ? [...member.roles.cache.keys()] : member.roles;
  return roleIds.some((id) => {
    if (wanted.has(id)) return true;
    const name = interaction.guild?.roles.cache.get(id)?.name;
    return name !== undefined && wanted.has(name.toLowerCase());
  });
}

export function refusal(action: string, moderatorRoles: readonly string[]): string {
  const roles = moderatorRoles.length ? `, or the ${moderatorRoles.map((r) => `"${r}"`).join(" / ")} role` : "";
  return `Only moderators can ${action}: members with the Manage Messages or Manage Server permission${roles}. Nothing was changed.`;
}
