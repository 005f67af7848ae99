// /taste through the real bot, both emulators and a real store (a SQLite file, and PostgreSQL when it is up): plays
// seeded at known times, the score checked against one computed by hand, the shared artists with both counts, the
// suggestions (never an artist the other played at any time), and the refusals: yourself, "only me", not recording,
// no shared server, DMs, nothing stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../emulators/discord.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { EPHEMERAL, embedText, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';

const MIA = { id: '1190000000000000401', username: 'mia', globalName: 'Mia' };
const LEO = { id: '1190000000000000402', username: 'leo', globalName: 'Leo' };
const ZOE = { id: '1190000000000000403', username: 'zoe', globalName: 'Zoë' };
const KAI = { id: '1190000000000000404', username: 'kai', globalName: 'Kai' };
const STRANGER = { id: '1190000000000000405', username: 'sam', globalName: 'Sam' };

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

let dir = '';
let database: TestDatabase | null = null;
let harness: Harness | null = null;

afterEach(async () => {
  await harness?.stop();
  harness = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});

async function startOn(engine: 'sqlite' | 'postgres'): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'npb-taste-e2e-'));
  let url = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  harness = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: url }, tuning: { now: () => NOW } });
  const guildId = harness.discord.guildIds[0]!;
  harness.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
  for (const member of [MIA, LEO, ZOE, KAI]) harness.discord.addMember(guildId, member);
  harness.discord.addUser(STRANGER);
  return harness;
}

/** `n` plays of one artist, `agoDays` days before now (one a minute apart), 200 s each. */
function plays(artist: string, n: number, agoDays: number): PlayInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = NOW - agoDays * DAY + i * 60_000;
    return {
      title: `${artist} song ${i}`,
      artist,
      album: null,
      trackId: null,
      imageId: null,
      startedAt,
      endedAt: startedAt + 200_000,
      msPlayed: 200_000,
      durationMs: null,
      source: 'import-extended',
    };
  });
}

/**
 * All time — Mia: Dua Lipa 5, 宇多田ヒカル 3, فيروز 2 (10); Leo: 宇多田ヒカル 12, Daft Punk 6, Dua Lipa 2 (20).
 * Shares: Mia .5/.3/.2, Leo .6/.3/.1 → overlap min(.5,.1) + min(.3,.6) = 40% (raw counts would say (2+3)/20 = 25%).
 * Last 7 days — Mia: Dua Lipa 2; Leo: 宇多田ヒカル 3, Daft Punk 2, Dua Lipa 1 → min(1, 1/6) = 17%.
 */
async function seed(h: Harness): Promise<void> {
  const add = async (user: string, list: PlayInput[]) => expect((await h.app.history!.addPlays(user as HistoryUser, list)).added).toBe(list.length);
  await add(MIA.id, [...plays('Dua Lipa', 2, 2), ...plays('Dua Lipa', 3, 40), ...plays('宇多田ヒカル', 3, 20), ...plays('فيروز', 2, 50)]);
  await add(LEO.id, [
    ...plays('宇多田ヒカル', 3, 1),
    ...plays('宇多田ヒカル', 9, 60),
    ...plays('Daft Punk', 2, 3),
    ...plays('Daft Punk', 4, 90),
    ...plays('Dua Lipa', 1, 4),
    ...plays('Dua Lipa', 1, 100),
  ]);
}

type Option = { name: string; type: number; value: string };
const taste = (h: Harness, userId: string, options: Option[], extra: { guildId?: string | null } = {}): InteractionHandle =>
  h.discord.slashCommand({ name: 'taste', userId, options, ...extra });
const user = (id: string): Option => ({ name: 'user', type: 6, value: id });
const period = (value: string): Option => ({ name: 'period', type: 3, value });
const historyOn = (h: Harness, id: string) => h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: id }).finalMessage(10_000);

describe.each(ENGINES)('/taste on %s', (engine) => {
  it('scores the overlap of the two artist mixes, lists shared artists with both counts, and suggests one each way', async () => {
    const h = await startOn(engine);
    await seed(h);
    await historyOn(h, LEO.id);

    const all = await taste(h, MIA.id, [user(LEO.id)]).finalMessage(10_000);
    const text = embedText(all);
    expect(all.flags ?? 0).not.toBe(EPHEMERAL);
    expect(text).toContain('🎧 Mia & Leo · All time');
    expect(text).toContain('**40%** taste match');
    expect(text).toContain('Mia: 10 plays · Leo: 20 plays · 2 artists in common');
    // Ranked by what each adds to the score: 宇多田ヒカル (.3) before Dua Lipa (.1).
    expect(text).toContain('1. 宇多田ヒカル · Mia 3 plays · Leo 12 plays\\n2. Dua Lipa · Mia 5 plays · Leo 2 plays"');
    expect(text).toContain('"For Mia, from Leo","value":"**Daft Punk** (Leo: 6 plays)"');
    expect(text).toContain('"For Leo, from Mia","value":"**فيروز** (Mia: 2 plays)"');
    expect(text).toContain('for every artist the smaller share, added up');

    const week = embedText(await taste(h, MIA.id, [user(LEO.id), period('week')]).finalMessage(10_000));
    expect(week).toContain('🎧 Mia & Leo · Last 7 days');
    expect(week).toContain('**17%** taste match');
    expect(week).toContain('Mia: 2 plays · Leo: 6 plays · 1 artist in common');
    expect(week).toContain('1. Dua Lipa · Mia 2 plays · Leo 1 play"');
    // Leo's top of the week is 宇多田ヒカル, but Mia played her before: the suggestion is the next one.
    expect(week).toContain('"For Mia, from Leo","value":"**Daft Punk** (Leo: 2 plays)"');
    // Mia's only artist of the week, Leo already plays: nothing to suggest to him.
    expect(week).not.toContain('For Leo, from Mia');
  });

  it('refuses yourself, "only me", someone not recording, outside a shared server and in DMs; nothing stored says so', async () => {
    const h = await startOn(engine);
    await seed(h);
    await h.app.history!.addPlays(ZOE.id as HistoryUser, plays('Dua Lipa', 4, 2));
    await h.app.history!.addPlays(KAI.id as HistoryUser, plays('Dua Lipa', 4, 2));
    await h.app.history!.addPlays(STRANGER.id as HistoryUser, plays('Dua Lipa', 4, 2));
    for (const member of [LEO, KAI, STRANGER]) await historyOn(h, member.id);

    const self = await taste(h, MIA.id, [user(MIA.id)]).finalMessage(10_000);
    expect(self.flags).toBe(EPHEMERAL);
    expect(embedText(self)).toContain("That's you");
    expect(embedText(self)).not.toContain('%**');

    // Zoë has plays but never chose /history on: not recording, not compared.
    const notRecording = await taste(h, MIA.id, [user(ZOE.id)]).finalMessage(10_000);
    expect(notRecording.flags).toBe(EPHEMERAL);
    expect(embedText(notRecording)).toContain("**Zoë** isn't recording listening history");
    expect(embedText(notRecording)).not.toContain('play');

    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: KAI.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
    const hidden = await taste(h, MIA.id, [user(KAI.id)]).finalMessage(10_000);
    expect(hidden.flags).toBe(EPHEMERAL);
    expect(embedText(hidden)).toContain('keeps their listening private');
    expect(embedText(hidden)).not.toContain('%');

    const stranger = await taste(h, MIA.id, [user(STRANGER.id)]).finalMessage(10_000);
    expect(stranger.flags).toBe(EPHEMERAL);
    expect(embedText(stranger)).toContain('only be shown in a server you both share');

    const inDm = await taste(h, MIA.id, [user(LEO.id)], { guildId: null }).finalMessage(10_000);
    expect(inDm.flags).toBe(EPHEMERAL);
    expect(embedText(inDm)).toContain('only be shown in a server you both share');

    // The owner is recorded by default but has nothing stored.
    const empty = embedText(await taste(h, MIA.id, [user(OWNER_ID)]).finalMessage(10_000));
    expect(empty).toContain('Nothing stored for **Owner** in this period (all time)');
    expect(empty).not.toContain('taste match');
    const none = embedText(await taste(h, ZOE.id, [user(LEO.id), period('week')]).finalMessage(10_000));
    expect(none).toContain('🎧 Zoë & Leo · Last 7 days');
    // Zoë: Dua Lipa 4; Leo's week: 宇多田ヒカル 3, Daft Punk 2, Dua Lipa 1 → min(1, 1/6) = 17%.
    expect(none).toContain('**17%** taste match');
    expect(none).toContain('"For Zoë, from Leo","value":"**宇多田ヒカル** (Leo: 3 plays)"');
    // An asker with nothing stored is told how to add some; the asker need not be recording.
    const nothing = embedText(await h.discord.slashCommand({ name: 'taste', userId: OWNER_ID, options: [user(LEO.id)] }).finalMessage(10_000));
    expect(nothing).toContain('Nothing stored for you in this period (all time)');
    expect(nothing).toContain('/history import');
  });
});
