// Permission bits (discord-api-types PermissionFlagsBits), kept local to avoid importing transitive deps.
export const P = {
  CreateInstantInvite: 1n << 0n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
};
export const EVERYONE_BITS = Object.values(P).reduce((a, b) => a | b, 0n);
export const EVERYONE_PERMISSIONS = EVERYONE_BITS.toString();
