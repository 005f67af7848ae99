// Feeds the DiscordStatusStore from the gateway, reading the raw dispatches (client.ws emits each one with its
// JSON payload before discord.js handles it): no Presence, GuildMember or User object is built for us, and
// discord.js's own presence/member/user caches stay at 0 (src/discord/client.ts). Only with DISCORD_PRESENCES=on;
// without the intent Discord sends no presences and this is never attached.
import { GatewayDispatchEvents, type Client } from 'discord.js';
import type { DiscordStatusStore, RawActivity } from './discord-status.js';

interface RawPresenceUpdate {
  user?: { id?: string };
  guild_id?: string;
  activities?: RawActivity[];
}

interface RawGuildCreate {
  id?: string;
  unavailable?: boolean;
  presences?: Array<{ user?: { id?: string }; activities?: RawActivity[] }>;
}

interface RawMemberRemove {
  guild_id?: string;
  user?: { id?: string };
}

/** Entries whose track ended long ago are deleted this often. */
export const STATUS_SWEEP_EVERY_MS = 5 * 60_000;

/** Start feeding `store` from `client`'s gateway; returns the detach. */
export function attachStatusFeed(
  client: Client,
  store: DiscordStatusStore,
  /** Also told every presence (listening history's recorder: it keeps only members who opted in). */
  observer?: { observe(userId: string, activities: RawActivity[] | undefined): void },
): () => void {
  const onPresence = (data: RawPresenceUpdate): void => {
    const userId = data.user?.id;
    if (typeof userId !== 'string' || typeof data.guild_id !== 'string') return;
    store.update(data.guild_id, userId, data.activities);
    observer?.observe(userId, data.activities);
  };
  const onGuildCreate = (data: RawGuildCreate): void => {
    if (typeof data.id !== 'string') return;
    if (data.unavailable === true) store.dropGuild(data.id);
    else {
      store.seedGuild(data.id, data.presences);
      if (observer) for (const p of data.presences ?? []) if (typeof p.user?.id === 'string') observer.observe(p.user.id, p.activities);
    }
  };
  const onGuildDelete = (data: { id?: string }): void => {
    if (typeof data.id === 'string') store.dropGuild(data.id);
  };
  const onMemberRemove = (data: RawMemberRemove): void => {
    const userId = data.user?.id;
    if (typeof userId === 'string' && typeof data.guild_id === 'string') store.remove(data.guild_id, userId);
  };
  client.ws.on(GatewayDispatchEvents.PresenceUpdate, onPresence);
  client.ws.on(GatewayDispatchEvents.GuildCreate, onGuildCreate);
  client.ws.on(GatewayDispatchEvents.GuildDelete, onGuildDelete);
  client.ws.on(GatewayDispatchEvents.GuildMemberRemove, onMemberRemove);
  const sweeper = setInterval(() => store.sweep(), STATUS_SWEEP_EVERY_MS);
  sweeper.unref();
  return () => {
    clearInterval(sweeper);
    client.ws.off(GatewayDispatchEvents.PresenceUpdate, onPresence);
    client.ws.off(GatewayDispatchEvents.GuildCreate, onGuildCreate);
    client.ws.off(GatewayDispatchEvents.GuildDelete, onGuildDelete);
    client.ws.off(GatewayDispatchEvents.GuildMemberRemove, onMemberRemove);
    store.clear();
  };
}
