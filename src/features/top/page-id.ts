// The Previous/Next buttons of a top list carry their whole state in the custom id (kind, range, limit, page, and
// whose list it is), so they work after a restart and on any shard: `top:tracks:short_term:50:2` (the owner's, as
// before members could link) or `top:tracks:short_term:50:2:<discord id>` (a linked member's). Pure.
import { SPOTIFY_MAX_LIMIT, TIME_RANGES } from '../../spotify/types.js';
import type { TimeRange } from '../../spotify/types.js';
import { EMBED_LIMITS } from '../../discord/text.js';
import { SNOWFLAKE } from '../../config.js';
import type { TopKind } from './service.js';

export const TOP_PAGE_SIZE = 10;
export const TOP_MAX_LIMIT = SPOTIFY_MAX_LIMIT;
const TOP_KINDS: readonly TopKind[] = ['tracks', 'artists'];

/** Everything needed to render one page of a top list again, even after a restart. */
export interface TopPageState {
  kind: TopKind;
  range: TimeRange;
  /** How many items were asked for (1–50). */
  limit: number;
  /** 1-based. */
  page: number;
  /** Whose list: a linked member's Discord id; absent for the owner's. */
  userId?: string;
}

export function topPageCount(itemCount: number): number {
  return Math.max(1, Math.ceil(itemCount / TOP_PAGE_SIZE));
}

function isValidTopState(state: TopPageState): boolean {
  return (
    TOP_KINDS.includes(state.kind) &&
    TIME_RANGES.includes(state.range) &&
    Number.isInteger(state.limit) &&
    state.limit >= 1 &&
    state.limit <= TOP_MAX_LIMIT &&
    Number.isInteger(state.page) &&
    state.page >= 1 &&
    state.page <= topPageCount(state.limit) &&
    (state.userId === undefined || SNOWFLAKE.test(state.userId))
  );
}

/** `top:tracks:short_term:50:2`. Throws RangeError on a state decodeTopPageId would reject. */
export function encodeTopPageId(state: TopPageState): string {
  if (!isValidTopState(state)) throw new RangeError(`invalid top page state: ${JSON.stringify(state)}`);
  return `top:${state.kind}:${state.range}:${state.limit}:${state.page}${state.userId === undefined ? '' : `:${state.userId}`}`;
}

const TOP_ID = /^top:([a-z]+):([a-z_]+):([1-9][0-9]?):([1-9][0-9]?)(?::(\d{17,20}))?$/;

/** The state carried by a Previous/Next button's custom id, or null for anything not made by encodeTopPageId. */
export function decodeTopPageId(customId: string): TopPageState | null {
  if (typeof customId !== 'string' || customId.length > EMBED_LIMITS.customId) return null;
  const match = TOP_ID.exec(customId);
  if (!match) return null;
  const kind = TOP_KINDS.find((k) => k === match[1]);
  const range = TIME_RANGES.find((r) => r === match[2]);
  if (!kind || !range) return null;
  const state: TopPageState = { kind, range, limit: Number(match[3]), page: Number(match[4]), ...(match[5] ? { userId: match[5] } : {}) };
  return isValidTopState(state) ? state : null;
}
