// `Services['taste']`: how much two members' listening overlaps, from stored history. The score compares the two
// artist mixes, not the volumes: each side's plays per artist become shares of that side's plays in the period, and
// the score adds up, artist by artist, the smaller of the two shares (the overlap of two histograms). 100 %: the same
// artists in the same proportions; 0 %: no artist in common. A heavy listener and a light one can still match.
// Consent (a shared server, "only me", recording) is the caller's: it has the interaction.
import type { HistoryUser } from '../../history/play.js';
import type { HistoryStore, TopItem } from '../../history/store.js';
import { HistoryDisabledError, type HistoryFeature } from '../history/service.js';
import { periodRange, type StatsPeriod } from '../stats/service.js';

export const DEFAULT_TASTE_PERIOD: StatsPeriod = 'all';
/** Shared artists listed in the reply. */
export const SHARED_SIZE = 5;
/** Artists read per member: far more than anyone's mix has in practice; beyond it the shares are negligible. */
const ARTISTS_READ = 20_000;

export interface ArtistPlays {
  /** The store's folded artist key (what makes two spellings one artist). */
  key: string;
  name: string;
  plays: number;
}

export interface SharedArtist {
  name: string;
  yours: number;
  theirs: number;
}

export interface Taste {
  period: StatsPeriod;
  /** 0…1: the overlap of the two artist mixes (see the module comment). */
  score: number;
  yourPlays: number;
  theirPlays: number;
  /** How many artists both played in the period. */
  sharedCount: number;
  /** The shared artists that weigh most in the score (the larger of the two smaller shares first). */
  shared: SharedArtist[];
  /** Their most played artist of the period that you never played at all; null when none. */
  forYou: { name: string; plays: number } | null;
  /** Yours that they never played. */
  forThem: { name: string; plays: number } | null;
}

export interface TasteNamespace {
  /** The asker's listening against another member's (both Discord ids), in a period ending now. */
  compare(askerId: string, otherId: string, period: StatsPeriod): Promise<Taste>;
}

export interface TasteFeatureDeps {
  store: HistoryStore | null;
  history: Pick<HistoryFeature, 'userFor'>;
  now: () => number;
}

const total = (artists: readonly ArtistPlays[]): number => artists.reduce((sum, a) => sum + a.plays, 0);

/** The first of `theirs` (most played first) whose key `ever` lacks. */
function suggestion(theirs: readonly ArtistPlays[], ever: ReadonlySet<string>): { name: string; plays: number } | null {
  const found = theirs.find((a) => !ever.has(a.key));
  return found ? { name: found.name, plays: found.plays } : null;
}

/**
 * The comparison of two artist lists of one period (most played first). `yoursEver`/`theirsEver`: every artist key
 * each side ever played, so a suggestion is never something the other already knows from another time.
 */
export function compareTaste(
  period: StatsPeriod,
  yours: readonly ArtistPlays[],
  theirs: readonly ArtistPlays[],
  yoursEver: ReadonlySet<string>,
  theirsEver: ReadonlySet<string>,
): Taste {
  const yourPlays = total(yours);
  const theirPlays = total(theirs);
  const theirsByKey = new Map(theirs.map((a) => [a.key, a]));
  const shared: Array<SharedArtist & { weight: number }> = [];
  let score = 0;
  if (yourPlays > 0 && theirPlays > 0) {
    for (const mine of yours) {
      const other = theirsByKey.get(mine.key);
      if (!other) continue;
      const weight = Math.min(mine.plays / yourPlays, other.plays / theirPlays);
      score += weight;
      shared.push({ name: mine.name, yours: mine.plays, theirs: other.plays, weight });
    }
  }
  shared.sort((a, b) => b.weight - a.weight || b.yours + b.theirs - (a.yours + a.theirs));
  return {
    period,
    score: Math.min(1, score),
    yourPlays,
    theirPlays,
    sharedCount: shared.length,
    shared: shared.slice(0, SHARED_SIZE).map(({ name, yours: y, theirs: t }) => ({ name, yours: y, theirs: t })),
    forYou: suggestion(theirs, yoursEver),
    forThem: suggestion(yours, theirsEver),
  };
}

const artistPlays = (items: readonly TopItem[]): ArtistPlays[] => items.map((i) => ({ key: i.key, name: i.name, plays: i.plays }));

export class TasteFeature implements TasteNamespace {
  constructor(private readonly deps: TasteFeatureDeps) {}

  async compare(askerId: string, otherId: string, period: StatsPeriod): Promise<Taste> {
    const store = this.deps.store;
    if (store === null) throw new HistoryDisabledError();
    const range = periodRange(period, this.deps.now());
    const artists = async (user: HistoryUser, from: number): Promise<ArtistPlays[]> =>
      artistPlays(await store.topItems([user], 'artist', { from, to: range.to }, ARTISTS_READ));
    const you = this.deps.history.userFor(askerId);
    const them = this.deps.history.userFor(otherId);
    const [yours, theirs] = await Promise.all([artists(you, range.from), artists(them, range.from)]);
    // "Never played" means ever, not only in this period.
    const [yoursEver, theirsEver] =
      period === 'all' ? [yours, theirs] : await Promise.all([artists(you, 0), artists(them, 0)]);
    return compareTaste(period, yours, theirs, new Set(yoursEver.map((a) => a.key)), new Set(theirsEver.map((a) => a.key)));
  }
}
