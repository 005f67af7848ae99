// Realistic listening data for the history bench (bench/history.ts): a server's years of plays and its members'
// Discord presence traffic. Deterministic (seeded), so two runs and both engines get the same data.
//
// Plays: a catalogue of ~8,000 artists / ~15,000 albums / ~50,000 tracks whose popularity follows Zipf's law (a
// few artists get a large share, most a handful of plays); each member has favourite artists of their own (60 % of
// their plays) on top of the global charts (40 %), an activity level drawn from a log-normal (heavy and light
// listeners), a join date (60 % were there from the start), and plays in sessions of back-to-back tracks at the
// hours people listen (evenings most, nights least, weekends more). Sources are mixed as they will be in use:
// imports (ms played known), Spotify's recently-played (track length only) and Discord status (both).
import type { HistoryUser, PlayInput, PlaySource } from '../src/history/play.js';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index with probability proportional to `weights` (cumulative table + binary search). */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) this.cumulative[i] = sum += weights[i]!;
  }

  pick(random: () => number): number {
    const target = random() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const zipf = (n: number, s: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'sil', 'ne', 'aur', 'del', 'ix', 'mo', 'sha', 'lun', 'bel', 'qui', 'zo', 'fa', 'nyx', 'el'];
const WORDS = ['Midnight', 'Golden', 'Blue', 'Paper', 'Hearts', 'Satellite', 'Summer', 'Echo', 'Glass', 'River', 'Neon', 'Wild', 'Home', 'Fire', 'Dreams', 'Ocean', 'Silver', 'Night', 'Light', 'Road'];
const CJK = ['夜', '星', '空', '月', '海', '花', '雨', '風', '光', '夢'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function nameFrom(random: () => number, parts: readonly string[], min: number, max: number, join: string): string {
  const n = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length: n }, () => parts[Math.floor(random() * parts.length)]!).join(join);
}

function base62(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[Math.floor(random() * 62)];
  return out;
}

export interface CatalogTrack {
  title: string;
  artist: string;
  /** Index into `artists`. */
  artistIndex: number;
  album: string;
  trackId: string;
  imageId: string;
  durationMs: number;
}

export interface Catalogue {
  artists: string[];
  tracks: CatalogTrack[];
  albums: number;
  /** Global track popularity. */
  charts: Weighted;
  /** Each artist's tracks, and their popularity within the artist. */
  byArtist: Array<{ tracks: number[]; weights: Weighted }>;
  /** Global artist popularity (for members' favourites). */
  artistCharts: Weighted;
}

export function makeCatalogue(options: { artists?: number; albums?: number; tracks?: number; seed?: number } = {}): Catalogue {
  const artistCount = options.artists ?? 8_000;
  const albumCount = options.albums ?? 15_000;
  const trackCount = options.tracks ?? 50_000;
  const random = rng(options.seed ?? 7);
  const artistWeight = zipf(artistCount, 1.0);
  const artists = Array.from({ length: artistCount }, (_, a) => {
    const script = random();
    const name =
      script < 0.8
        ? nameFrom(random, SYLLABLES, 2, 3, '').replace(/^./, (c) => c.toUpperCase()) + (random() < 0.5 ? ` ${nameFrom(random, WORDS, 1, 1, '')}` : '')
        : nameFrom(random, CJK, 2, 4, '');
    return `${name} ${a}`; // unique: the number keeps two generated names apart
  });
  // Popular artists have more albums and more tracks (√popularity), every artist at least one of each.
  const spread = (total: number, owners: number, weight: (i: number) => number): number[] => {
    const counts = new Array<number>(owners).fill(1);
    const weights = new Weighted(Float64Array.from({ length: owners }, (_, i) => weight(i)));
    for (let left = total - owners; left > 0; left--) counts[weights.pick(random)]!++;
    return counts;
  };
  const albumsPerArtist = spread(albumCount, artistCount, (a) => Math.sqrt(artistWeight[a]!));
  const tracks: CatalogTrack[] = [];
  const trackWeights: number[] = [];
  const byArtist: Array<{ tracks: number[]; weights: Weighted }> = [];
  const tracksPerAlbum = spread(trackCount, albumCount, () => 1);
  let album = 0;
  for (let a = 0; a < artistCount; a++) {
    const own: number[] = [];
    const ownWeights: number[] = [];
    for (let al = 0; al < albumsPerArtist[a]!; al++, album++) {
      const albumName = `${nameFrom(random, WORDS, 1, 3, ' ')}${random() < 0.2 ? ' (Deluxe Edition)' : ''}`;
      const imageId = `ab67616d0000b273${Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('')}`;
      for (let t = 0; t < (tracksPerAlbum[album] ?? 1); t++) {
        const title = `${nameFrom(random, WORDS, 1, 4, ' ')}${random() < 0.1 ? ` (feat. ${artists[Math.floor(random() * artistCount)]})` : ''}`;
        // Within an artist a few songs are the hits.
        const inArtist = 1 / (own.length + 1) ** 0.9;
        own.push(tracks.length);
        ownWeights.push(inArtist);
        trackWeights.push(artistWeight[a]! * inArtist);
        tracks.push({
          title,
          artist: artists[a]!,
          artistIndex: a,
          album: albumName,
          trackId: base62(random, 22),
          imageId,
          durationMs: 120_000 + Math.floor(random() * 240_000),
        });
      }
    }
    byArtist.push({ tracks: own, weights: new Weighted(ownWeights) });
  }
  return { artists, tracks, albums: album, charts: new Weighted(trackWeights), byArtist, artistCharts: new Weighted(artistWeight) };
}

export const DAY_MS = 86_400_000;
/** Share of plays per hour of the day (UTC stands in for the members' local time). */
const HOURS = new Weighted([2, 1, 0.6, 0.4, 0.3, 0.4, 1, 2.5, 3.5, 3, 3, 3.2, 3.6, 3.4, 3.2, 3.4, 4, 4.6, 5.2, 5.6, 5.8, 5.2, 4, 3]);

export interface Member {
  user: HistoryUser;
  /** Plays to generate for this member. */
  plays: number;
  joinedAt: number;
  favourites: Weighted;
  favouriteArtists: number[];
}

/** `count` members sharing `total` plays (log-normal activity), each with favourite artists and a join date. */
export function makeMembers(catalogue: Catalogue, count: number, total: number, span: { from: number; to: number }, seed = 11): Member[] {
  const random = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const activity = Array.from({ length: count }, () => Math.exp(gauss()));
  const sum = activity.reduce((a, b) => a + b, 0);
  let assigned = 0;
  return activity.map((weight, i) => {
    const plays = i === count - 1 ? total - assigned : Math.round((weight / sum) * total);
    assigned += plays;
    const joinedAt = random() < 0.6 ? span.from : span.from + Math.floor(random() * 0.9 * (span.to - span.from));
    const favouriteArtists = Array.from({ length: 20 + Math.floor(random() * 40) }, () => catalogue.artistCharts.pick(random));
    return {
      user: `1300000000000${String(i).padStart(5, '0')}` as HistoryUser,
      plays,
      joinedAt,
      favouriteArtists,
      favourites: new Weighted(zipf(favouriteArtists.length, 1.1)),
    };
  });
}

const SOURCES: Array<[PlaySource, number]> = [
  ['import-extended', 0.6],
  ['spotify-recent', 0.3],
  ['discord-status', 0.1],
];

/**
 * A member's plays, oldest first, in batches of `batch` (as the store takes them): sessions of 1–20 back-to-back
 * tracks at realistic hours on days spread over their membership, weekends busier.
 */
export function* memberPlays(catalogue: Catalogue, member: Member, to: number, batch: number, seed: number): Generator<PlayInput[]> {
  const random = rng(seed);
  const days = Math.max(1, Math.floor((to - member.joinedAt) / DAY_MS));
  const dayWeights = new Weighted(Float64Array.from({ length: days }, (_, d) => ([5, 6].includes(new Date(member.joinedAt + d * DAY_MS).getUTCDay()) ? 1.3 : 1)));
  // Session starts, sorted, and lengths (1–15 tracks) that add up to the member's count exactly.
  const sessions: number[] = [];
  const lengths: number[] = [];
  let planned = 0;
  for (let s = Math.ceil(member.plays / 8); s > 0; s--) {
    const day = dayWeights.pick(random);
    sessions.push(member.joinedAt + day * DAY_MS + HOURS.pick(random) * 3_600_000 + Math.floor(random() * 3_600_000));
    const length = 1 + Math.floor(random() * 15);
    lengths.push(length);
    planned += length;
  }
  while (planned !== member.plays) {
    const s = Math.floor(random() * lengths.length);
    if (planned < member.plays) (lengths[s]!++, planned++);
    else if (lengths[s]! > 1) (lengths[s]!--, planned--);
  }
  sessions.sort((a, b) => a - b);
  let out: PlayInput[] = [];
  let lastEnd = 0;
  for (let s = 0; s < sessions.length; s++) {
    let at = Math.max(sessions[s]!, lastEnd + 5_000);
    for (let k = 0; k < lengths[s]!; k++) {
      const track =
        random() < 0.6
          ? (() => {
              const artist = catalogue.byArtist[member.favouriteArtists[member.favourites.pick(random)]!]!;
              return catalogue.tracks[artist.tracks[artist.weights.pick(random)]!]!;
            })()
          : catalogue.tracks[catalogue.charts.pick(random)]!;
      const full = random() < 0.7;
      const msPlayed = full ? track.durationMs : 30_000 + Math.floor(random() * (track.durationMs - 30_000));
      const roll = random();
      const source = roll < SOURCES[0]![1] ? SOURCES[0]![0] : roll < SOURCES[0]![1] + SOURCES[1]![1] ? SOURCES[1]![0] : SOURCES[2]![0];
      out.push({
        title: track.title,
        artist: track.artist,
        album: track.album,
        trackId: track.trackId,
        imageId: source === 'import-extended' ? null : track.imageId,
        startedAt: at,
        endedAt: at + msPlayed,
        msPlayed: source === 'spotify-recent' ? null : msPlayed,
        durationMs: source === 'import-extended' ? null : track.durationMs,
        source,
      });
      at += msPlayed + Math.floor(random() * 3_000);
      lastEnd = at;
      if (out.length === batch) {
        yield out;
        out = [];
      }
    }
  }
  if (out.length > 0) yield out;
}
