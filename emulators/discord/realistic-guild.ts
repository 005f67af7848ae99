// guildShape 'realistic': a guild as real ones look, with a category, more channels and roles.
import type { JsonObject, JsonValue } from './types.js';


/**
 * A guild as real ones look (guildShape 'realistic'): besides the "general" channel and @everyone, a "Text Channels"
 * category holding general and two more text channels (one with a permission overwrite), a "Members" role and the
 * bot's managed integration role, which the bot's own member has. Ids are derived from the guild id.
 */
export function realisticGuild(guild: JsonObject): JsonObject {
  const isJsonObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  const guildId = BigInt(String(guild.id));
  const id = (offset: number): string => (guildId + BigInt(offset)).toString();
  const [general] = Array.isArray(guild.channels) ? guild.channels : [];
  const [everyone] = Array.isArray(guild.roles) ? guild.roles : [];
  const [botMember] = Array.isArray(guild.members) ? guild.members : [];
  if (!isJsonObject(general) || !isJsonObject(everyone) || !isJsonObject(botMember)) return guild;
  const categoryId = id(2);
  const membersRole = id(5);
  const botRole = id(6);
  const botUser = isJsonObject(botMember.user) ? botMember.user : {};
  const text = (offset: number, name: string, position: number, overwrites: JsonValue[] = []): JsonObject => ({
    ...general,
    id: id(offset),
    name,
    position,
    parent_id: categoryId,
    permission_overwrites: overwrites,
    topic: name === 'general' ? null : `All about #${name}`,
  });
  const role = (roleId: string, name: string, position: number, extra: JsonObject = {}): JsonObject => ({
    ...everyone,
    id: roleId,
    name,
    position,
    permissions: String(everyone.permissions ?? '0'),
    color: 0x1db954,
    colors: { primary_color: 0x1db954, secondary_color: null, tertiary_color: null },
    ...extra,
  });
  return {
    ...guild,
    member_count: 42,
    roles: [
      everyone,
      role(membersRole, 'Members', 1, { hoist: true }),
      role(botRole, String(botUser.username ?? 'bot'), 2, { managed: true, tags: { bot_id: String(botUser.id ?? '') } }),
    ],
    channels: [
      { id: categoryId, type: 4, guild_id: String(guild.id), name: 'Text Channels', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, flags: 0 },
      text(1, 'general', 0),
      text(3, 'music', 1),
      text(4, 'announcements', 2, [{ id: String(guild.id), type: 0, allow: '0', deny: '2048' }]),
    ],
    members: [{ ...botMember, roles: [botRole] }, ...(Array.isArray(guild.members) ? guild.members.slice(1) : [])],
  };
}
