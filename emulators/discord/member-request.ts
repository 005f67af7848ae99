// op 8 Request Guild Members, as a bot may send it (Discord docs, "Request Guild Members"; discord-api-types'
// GatewayRequestGuildMembersData): one guild per request (an array of guilds is refused since API v8,
// discord-api-docs#2184), either `query` (+ `limit`) or `user_ids` (at most 100; no privileged intent needed),
// `presences` only with GUILD_PRESENCES, a `nonce` of at most 32 bytes (a longer one is ignored, not refused: the
// chunks then carry no nonce). Answered by GUILD_MEMBERS_CHUNK; with `user_ids`, the ids that are not members are
// listed in `not_found`.
// A payload Discord can't accept closes the gateway with 4001, as for op 3 (see presence.ts).

export const MAX_REQUESTED_USER_IDS = 100;
const MAX_NONCE_BYTES = 32;
const SNOWFLAKE = /^\d{17,20}$/;

export type MemberRequest =
  | { mode: 'user_ids'; guildId: string; userIds: string[]; presences: boolean; nonce: string | null }
  | { mode: 'query'; guildId: string; query: string; limit: number; presences: boolean; nonce: string | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isSnowflake = (value: unknown): value is string => typeof value === 'string' && SNOWFLAKE.test(value);

export function parseMemberRequest(d: unknown): { ok: true; request: MemberRequest } | { ok: false; reason: string } {
  if (!isRecord(d)) return { ok: false, reason: 'request guild members: d must be an object' };
  if (Array.isArray(d.guild_id)) return { ok: false, reason: 'guild_id must be one snowflake (one guild per request)' };
  if (!isSnowflake(d.guild_id)) return { ok: false, reason: 'guild_id must be a snowflake' };
  if (d.presences !== undefined && typeof d.presences !== 'boolean') return { ok: false, reason: 'presences must be a boolean' };
  const presences = d.presences === true;
  // An invalid nonce is ignored (Discord: "the reply member_chunk(s) will not have a nonce set"), never refused.
  const nonce = typeof d.nonce === 'string' && Buffer.byteLength(d.nonce) <= MAX_NONCE_BYTES ? d.nonce : null;
  const hasUserIds = d.user_ids !== undefined && d.user_ids !== null;
  const hasQuery = d.query !== undefined && d.query !== null;
  if (hasUserIds === hasQuery) return { ok: false, reason: 'exactly one of query and user_ids is required' };
  if (hasUserIds) {
    const ids: unknown[] = Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids];
    if (ids.length > MAX_REQUESTED_USER_IDS) {
      return { ok: false, reason: `user_ids holds ${ids.length} ids; at most ${MAX_REQUESTED_USER_IDS} per request` };
    }
    if (!ids.every(isSnowflake)) return { ok: false, reason: 'user_ids must be snowflakes' };
    return { ok: true, request: { mode: 'user_ids', guildId: d.guild_id, userIds: [...new Set(ids)], presences, nonce } };
  }
  if (typeof d.query !== 'string') return { ok: false, reason: 'query must be a string' };
  if (typeof d.limit !== 'number' || !Number.isInteger(d.limit) || d.limit < 0) {
    return { ok: false, reason: 'limit (an integer ≥ 0) is required with query' };
  }
  return { ok: true, request: { mode: 'query', guildId: d.guild_id, query: d.query, limit: d.limit, presences, nonce } };
}
