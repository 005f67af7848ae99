// Where the commands can be used: in servers the bot is in, and — once the owner installs the app to their
// account — anywhere they are (DMs with the bot, group DMs), so an interaction may carry `user` without a guild.
import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

export const INTEGRATION_TYPES = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall];
export const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel];
