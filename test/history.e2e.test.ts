// Listening history through the real bot, both emulators and a real SQLite file: the owner recorded from
// recently-played (with its cursor), a Discord-status member recorded only after /history on (nothing of anyone
// else written, not even their id), /history status / off / export / delete (a scan of the file afterwards), and
// "only me" for a member without a link.
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spotifyActivity, type MessagePayload } from '../emulators/discord.js';
import { makeTrack } from '../emulators/spotify-fixtures.js';
import { accountFiles, accountHistory, extendedFiles, extendedHistory, exportZip, truncatedZip } from '../emulators/spotify-export.js';
import { readStreamingHistory } from '../src/history/import/readers.js';
import { EPHEMERAL, embedText, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, databaseText, requirePostgres, type TestDatabase } from './support/postgres.js';

const MEMBER = { id: '1180000000000000201', username: 'mia', globalName: 'Mia' };
const STRANGER = { id: '1180000000000000202', username: 'sam', globalName: 'Sam' };

const postgres = await requirePostgres();

let dir = '';
let database: TestDatabase | null = null;
let harness: Harness | null = null;
/** What the store holds now, as text: the SQLite file's bytes (and its WAL), or every PostgreSQL row. */
let scan: () => Promise<string> = async () => '';

afterEach(async () => {
  await harness?.stop();
  harness = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});


type Engine = 'sqlite' | 'postgres';

async function startOn(engine: Engine, env: Record<string, string> = {}): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'npb-history-e2e-'));
  let storeEnv: Record<string, string>;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    const url = database.url;
    // One server for everything: the key-value store and history.
    storeEnv = { STORAGE_URL: url };
    scan = () => databaseText(url);
  } else {
    storeEnv = { STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}` };
    scan = async () =>
      readdirSync(dir)
        .map((name) => readFileSync(join(dir, name)).toString('latin1'))
        .join('\n');
  }
  harness = await startHarness({ env: { HISTORY: 'on', DISCORD_PRESENCES: 'on', ...storeEnv, ...env } });
  const guildId = harness.discord.guildIds[0]!;
  harness.discord.addMember(guildId, MEMBER);
  harness.discord.addMember(guildId, STRANGER);
  return harness;
}

function history(h: Harness, subcommand: string, userId: string): Promise<MessagePayload> {
  return h.discord.slashCommand({ name: 'history', subcommand, userId }).finalMessage(10_000);
}

/** A member's Spotify activity that started `agoMs` ago and lasts `durationMs`. */
function listening(trackId: string, title: string, agoMs: number, durationMs = 180_000): Array<Record<string, unknown>> {
  const startMs = Date.now() - agoMs;
  return [spotifyActivity({ trackId, title, artists: ['Dua Lipa'], album: 'Future Nostalgia', imageId: 'ab67616d0000b273aa', startMs, endMs: startMs + durationMs })];
}

type Handle = ReturnType<Harness['discord']['slashCommand']>;

/** The reply's edit that contains `text` (an import edits its reply with progress first), as it arrives. */
async function editContaining(h: Harness, handle: Handle, text: string): Promise<MessagePayload> {
  const has = (m: MessagePayload | undefined): boolean => embedText(m).includes(text);
  const waiting = h.discord.waitFor<{ interactionId: string; body: MessagePayload }>(
    'interactionEdit',
    (e) => e.interactionId === handle.id && has(e.body),
    30_000,
  );
  const already = handle.edits.find(has);
  if (already) {
    waiting.catch(() => {});
    return already;
  }
  return (await waiting).body;
}

async function setStatus(h: Harness, userId: string, activities: Array<Record<string, unknown>>): Promise<void> {
  const handled = once(h.bot.client.ws, 'PRESENCE_UPDATE');
  expect(h.discord.setPresence(h.discord.guildIds[0]!, userId, { status: 'online', activities })).toBe(true);
  await handled;
}

const ENGINES: Engine[] = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(ENGINES)('/history on %s', (engine) => {
  const start = (env?: Record<string, string>): Promise<Harness> => startOn(engine, env);
  it("records the owner's recently-played once each, with a cursor, and /history status counts them", async () => {
    const h = await start();
    const now = Date.now();
    h.spotify.setRecentlyPlayed([
      { played_at: new Date(now - 600_000).toISOString(), track: makeTrack({ name: 'First Song', duration_ms: 200_000 }) },
      { played_at: new Date(now - 300_000).toISOString(), track: makeTrack({ name: 'Second Song', duration_ms: 200_000 }) },
    ]);
    expect(await h.app.historyJobs.sync!.syncAll()).toBe(2);
    // The next round asks only for what came after the newest play it has.
    const before = h.spotify.requests.filter((r) => r.route === 'recently-played').length;
    expect(await h.app.historyJobs.sync!.syncAll()).toBe(0);
    const asks = h.spotify.requests.filter((r) => r.route === 'recently-played');
    expect(asks.length).toBe(before + 1);
    expect(asks.at(-1)!.query.after).toBe(String(now - 300_000));

    const status = await history(h, 'status', OWNER_ID);
    expect(status.flags).toBe(EPHEMERAL);
    expect(embedText(status)).toContain('2 plays');
    expect(embedText(status)).toContain('Spotify (recently played): 2 plays');
    expect(embedText(status)).toContain('Recording');
  });

  it('a Discord-status member is recorded only after /history on; nothing of anyone else is written', async () => {
    const h = await start();
    const recorder = h.app.statusPlays!;
    // Before opting in: a whole track played, and nothing is kept (not even the id).
    await setStatus(h, MEMBER.id, listening('TrackA', 'Levitating', 200_000));
    await setStatus(h, MEMBER.id, listening('TrackB', 'Houdini', 1_000));
    await setStatus(h, STRANGER.id, listening('TrackC', 'Espresso', 200_000));
    await setStatus(h, STRANGER.id, listening('TrackD', 'Please Please Please', 1_000));
    expect(await recorder.flush()).toBe(0);
    expect(await scan()).not.toContain(MEMBER.id);
    expect(await scan()).not.toContain(STRANGER.id);

    const on = await history(h, 'on', MEMBER.id);
    expect(embedText(on)).toContain('Recording is **on**');
    // Houdini (a 3-minute track) plays for 2 of its 3 minutes, then the next track starts: one play, by Last.fm's rule.
    await setStatus(h, MEMBER.id, listening('TrackB', 'Houdini', 120_000));
    await setStatus(h, MEMBER.id, listening('TrackE', 'Training Season', 1_000));
    // A skip after 20 s is no play.
    await setStatus(h, MEMBER.id, listening('TrackF', 'Dance The Night', 1_000));
    await setStatus(h, STRANGER.id, listening('TrackG', 'Not Recorded', 1_000));
    expect(recorder.pending).toBe(1);
    expect(await recorder.flush()).toBe(1);
    expect(await scan()).not.toContain(STRANGER.id);

    const status = embedText(await history(h, 'status', MEMBER.id));
    expect(status).toContain('1 play');
    expect(status).toContain('Discord status: 1 play');

    // Off keeps what is there and records nothing new.
    expect(embedText(await history(h, 'off', MEMBER.id))).toContain('1 play stay stored');
    await setStatus(h, MEMBER.id, listening('TrackH', 'Physical', 200_000));
    await setStatus(h, MEMBER.id, listening('TrackI', 'Cold Heart', 1_000));
    expect(await recorder.flush()).toBe(0);
    expect(embedText(await history(h, 'status', MEMBER.id))).toContain('1 play');
  });

  it('/history import takes the export zip from Discord\'s CDN, shows progress, sums up, and adds nothing twice', async () => {
    const h = await start();
    const generated = extendedHistory({ rows: 3_000, seed: 11, start: '2023-05-01T00:00:00Z' });
    const files = extendedFiles(generated, { perFile: 1_500 });
    // The export repeats a few rows exactly (as real ones do): those are one play each.
    const plays = Object.entries(files).flatMap(([name, bytes]) => readStreamingHistory(name, bytes).plays);
    const expected = new Set(plays.map((p) => `${p.artist}\u0000${p.title}\u0000${p.startedAt}`)).size;
    expect(expected).toBeLessThan(plays.length);
    // The account-data files repeat the same plays at minute precision: nothing new.
    const zip = exportZip({ ...files, ...accountFiles(accountHistory(generated)) });
    const attachment = h.discord.addAttachment({ filename: 'my_spotify_data.zip', bytes: zip });
    const run = () =>
      h.discord.slashCommand({ name: 'history', subcommand: 'import', userId: MEMBER.id, options: [{ name: 'file', type: 11, value: attachment.id }] });
    const handle = run();
    const summary = embedText(await editContaining(h, handle, 'Import finished'));
    expect((await handle.response()).data?.flags).toBe(EPHEMERAL);
    expect(summary).toContain('Import finished');
    expect(summary).toContain(`${expected.toLocaleString('en-US')} plays added`);
    expect(summary).toMatch(/skipped \(.*podcast episodes/);
    expect(summary).toContain('From 2023-');
    expect(embedText(await history(h, 'status', MEMBER.id))).toContain(`${expected.toLocaleString('en-US')} plays`);
    expect((await scan()).includes('listener4711'), 'the Spotify user name is never stored').toBe(false);

    expect(embedText(await editContaining(h, run(), 'Import finished'))).toContain('0 plays added');
  });

  it('/history import refuses a truncated zip and another export file by name, and imports nothing', async () => {
    const h = await start();
    const zip = exportZip(extendedFiles(extendedHistory({ rows: 500, seed: 3 })));
    for (const [filename, bytes, why] of [
      ['my_spotify_data.zip', truncatedZip(zip), 'is not a complete zip file'],
      ['Userdata.json', JSON.stringify({ username: 'x', country: 'DE' }), 'is not Spotify streaming history'],
    ] as const) {
      const attachment = h.discord.addAttachment({ filename, bytes });
      const handle = h.discord.slashCommand({ name: 'history', subcommand: 'import', userId: MEMBER.id, options: [{ name: 'file', type: 11, value: attachment.id }] });
      expect(embedText(await editContaining(h, handle, 'Nothing was imported'))).toContain(why);
    }
    expect(embedText(await history(h, 'status', MEMBER.id))).toContain('No plays stored yet');
  });

  it('/history export is a file in the extended-history format that reads back as the same plays', async () => {
    const h = await start();
    await history(h, 'on', MEMBER.id);
    await setStatus(h, MEMBER.id, listening('39LLxExYz6ewLAcYrzQQyP', 'Levitating', 170_000));
    await setStatus(h, MEMBER.id, listening('TrackB', 'Houdini', 1_000));
    expect(await h.app.statusPlays!.flush()).toBe(1);

    const handle = h.discord.slashCommand({ name: 'history', subcommand: 'export', userId: MEMBER.id });
    const message = await handle.finalMessage(10_000);
    expect(message.flags).toBe(EPHEMERAL);
    expect(embedText(message)).toContain('1 play');
    const [file] = handle.originalAttachments;
    expect(file?.filename).toMatch(/^listening-history-\d{4}-\d{2}-\d{2}\.json$/);
    const read = readStreamingHistory(file!.filename, new Uint8Array(file!.data));
    expect(read.plays).toHaveLength(1);
    expect(read.plays[0]).toMatchObject({ title: 'Levitating', artist: 'Dua Lipa', album: 'Future Nostalgia', trackId: '39LLxExYz6ewLAcYrzQQyP' });
  });

  it('/history delete asks first, then erases every trace of the member from the store', async () => {
    const h = await start();
    await history(h, 'on', MEMBER.id);
    await setStatus(h, MEMBER.id, listening('TrackA', 'A Song Only Mia Played', 170_000));
    await setStatus(h, MEMBER.id, listening('TrackB', 'Houdini', 1_000));
    await h.app.statusPlays!.flush();
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: MEMBER.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
    expect(await scan()).toContain(MEMBER.id);
    expect(await scan()).toContain('A Song Only Mia Played');

    const ask = h.discord.slashCommand({ name: 'history', subcommand: 'delete', userId: MEMBER.id });
    const confirm = await ask.finalMessage(10_000);
    expect(embedText(confirm)).toContain('Delete your listening history?');
    expect(await scan()).toContain(MEMBER.id); // nothing happens before the button
    const button = (confirm.components?.[0] as { components: Array<{ custom_id?: string; label?: string }> }).components.find((b) => b.label === 'Delete everything');
    const done = await h.discord.pressButton({ customId: String(button!.custom_id), message: { id: '1', flags: EPHEMERAL }, userId: MEMBER.id }).finalMessage(10_000);
    expect(embedText(done)).toContain('Deleted: 1 play');
    expect(await scan()).not.toContain(MEMBER.id);
    expect(await scan()).not.toContain('A Song Only Mia Played');
    // Recording is off again: a new play isn't kept.
    await setStatus(h, MEMBER.id, listening('TrackC', 'Espresso', 200_000));
    await setStatus(h, MEMBER.id, listening('TrackD', 'Taste', 1_000));
    expect(await h.app.statusPlays!.flush()).toBe(0);
    expect(await scan()).not.toContain(MEMBER.id);
  });

});

describe('/history with HISTORY=off', () => {
  it('every /history answer says so and nothing is opened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'npb-history-e2e-'));
    harness = await startHarness({ env: { HISTORY: 'off', HISTORY_URL: `sqlite://${join(dir, 'history.sqlite')}` } });
    expect(harness.app.history).toBeNull();
    expect(embedText(await history(harness, 'on', MEMBER.id))).toContain('HISTORY=off');
    expect(readdirSync(dir)).toEqual([]);
  });
});
