/**
 * A loopback Discord emulator: HTTP REST (`/api/v10/...`) and a WebSocket gateway on 127.0.0.1.
 *
 * The real discord.js Client connects to it with
 *   new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } })
 *   await client.login(emulator.token)
 *
 * This is the public entry; the protocol areas live in emulators/discord/ (emulator.ts wires them together).
 */
export { DiscordEmulator } from './discord/emulator.js';
export type { AttachmentUpload, CdnRequestRecord, ResolvedAttachment } from './discord/cdn.js';
export { FormErrors } from './discord/http-error.js';
export { spotifyActivity } from './discord/presence.js';
export { guildIdForShard, shardForGuild, snowflake } from './discord/snowflake.js';
export { Intents } from './discord/types.js';
export type { MemberPresence, PresenceActivity, PresencePayload, PresenceStatus, SpotifyActivityOptions } from './discord/presence.js';
export type { UploadedFile } from './discord/multipart.js';
export type {
  AutocompleteChoice,
  AutocompleteHandle,
  AutocompleteOptions,
  ButtonOptions,
  ChannelMessageRecord,
  ChannelOptions,
  ComponentPayload,
  DirectMessageRecord,
  DiscordEmulatorOptions,
  EmbedPayload,
  IdentifyRecord,
  InteractionCallbackRecord,
  InteractionHandle,
  InteractionOrigin,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  MemberOptions,
  MemberRequestRecord,
  MessagePayload,
  ModalSubmitOptions,
  RestFault,
  RestLogEntry,
  ResumeRecord,
  SlashCommandOptions,
  StoredAttachment,
} from './discord/types.js';
