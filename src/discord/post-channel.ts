// Checks before a command saves a channel the bot will post to later (/announce, /recap): that it is a text or
// announcement channel of this server the bot can see, and which of the permissions a post needs the bot lacks.
import { ChannelType, type ChatInputCommandInteraction, type GuildBasedChannel } from 'discord.js';

/** The channel, when it is a text or announcement channel of this guild in the client's cache; else null. */
export function postableChannelOf(interaction: ChatInputCommandInteraction, guildId: string, channelId: string): GuildBasedChannel | null {
  const channel = interaction.client.channels.cache.get(channelId);
  if (!channel || channel.isDMBased() || channel.guildId !== guildId) return null;
  return channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement ? channel : null;
}

/** The names (as the caller's list gives them) of the needed permissions the bot lacks in that channel. */
export function missingPermissions<Name>(
  interaction: ChatInputCommandInteraction,
  channel: GuildBasedChannel,
  needed: ReadonlyArray<readonly [bigint, Name]>,
): Name[] {
  const permissions = channel.permissionsFor(interaction.client.user);
  return needed.filter(([bit]) => !permissions?.has(bit)).map(([, name]) => name);
}
