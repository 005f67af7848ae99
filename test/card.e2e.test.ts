// /nowplaying as a card (#12), through the real bot: the real discord.js client against the Discord emulator (which
// parses the multipart upload and refuses an embed naming an attachment that wasn't sent), Spotify from its emulator,
// covers from the image CDN emulator (SPOTIFY_IMAGES_URL). The uploaded bytes are decoded here.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadImage } from '@napi-rs/canvas';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle, RestLogEntry } from '../emulators/discord.js';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { adPlaying, imageIdOf, makeEpisode, makeLocalTrack, makeTrack, playing } from '../emulators/spotify-fixtures.js';
import { imageSize } from '../src/render/cover-art.js';
import type { AppTuning } from '../src/app.js';
import { harnessPerTest, OWNER_ID, type Harness } from './support/bot-harness.js';

const start = harnessPerTest();
let cdn: ImageCdn | null = null;
afterEach(async () => {
  await cdn?.close();
  cdn = null;
});

async function startWithCdn(tuning: AppTuning = {}): Promise<{ h: Harness; cdn: ImageCdn }> {
  cdn = await startImageCdn();
  // Freshness 0: each command reads Spotify, so a test can change what plays between commands.
  const h = await start({ env: { SPOTIFY_IMAGES_URL: cdn.origin }, tuning: { listeningFreshnessMs: 0, ...tuning } });
  h.discord.addMember(h.discord.guildIds[0]!, { id: OWNER_ID, username: 'owner', globalName: 'Zoë' });
  return { h, cdn };
}

type Style = 'card' | 'text';

function nowplaying(h: Harness, style?: Style): InteractionHandle {
  return h.discord.slashCommand({
    name: 'nowplaying',
    userId: OWNER_ID,
    ...(style ? { options: [{ name: 'style', type: 3, value: style }] } : {}),
  });
}

/** The requests that answered this interaction (callback, edits), as the emulator logged them. */
function answers(h: Harness, handle: InteractionHandle): RestLogEntry[] {
  return h.discord.restLog.filter((r) => r.path.includes(handle.id) || r.path.includes(handle.token));
}

/** Waits for the final message; returns it with the message's attachments and the multipart uploads that carried them. */
async function settled(h: Harness, handle: InteractionHandle, timeoutMs = 8_000) {
  const message = await handle.finalMessage(timeoutMs);
  const uploads = answers(h, handle).flatMap((r) => r.files);
  return { message, attachments: handle.originalAttachments, uploads, embed: message.embeds?.[0] };
}

async function decoded(data: Buffer): Promise<{ width: number; height: number; header: { width: number; height: number } | null }> {
  const image = await loadImage(data);
  return { width: image.width, height: image.height, header: imageSize(data) };
}

/** The id of the cover the bot fetches: Spotify's 300 px album image (not the 640 px one, listed first). */
const coverId = (track: { album: { images: Array<{ url: string; width: number | null }> } }): string =>
  imageIdOf(track.album.images.find((i) => i.width === 300)!.url)!;

describe('/nowplaying style:card (the default)', () => {
  it('uploads the card as multipart; the embed shows it by name, keeps its text, and the bytes decode to 800×280', async () => {
    const { h, cdn } = await startWithCdn();
    const track = makeTrack({ name: 'Blinding Lights' });
    h.spotify.setCurrentlyPlaying(playing(track, { progressMs: 60_000 }));
    const handle = nowplaying(h);
    const { embed, attachments, uploads } = await settled(h, handle);

    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.filename).toBe('nowplaying.jpg');
    expect(attachments.map((a) => a.filename)).toEqual(['nowplaying.jpg']);
    expect(embed?.image?.url).toBe('attachment://nowplaying.jpg');
    // The text stays for search, screen readers and clients without images; the cover is in the card now.
    expect(embed?.title).toBe('Blinding Lights');
    expect(embed?.description).toContain('The Weeknd');
    expect(embed?.author?.name).toContain('Zoë');
    expect(embed?.thumbnail).toBeUndefined();
    expect(attachments[0]!.description).toMatch(/^Now-playing card: Zoë, listening to Blinding Lights by The Weeknd/);

    const image = await decoded(attachments[0]!.data);
    expect(image).toEqual({ width: 800, height: 280, header: { width: 800, height: 280 } });
    expect(attachments[0]!.data.length).toBeLessThan(500 * 1024);
    expect(cdn.fetchCount(coverId(track))).toBe(1);
  });

  it('fetches a cover once: the second card of the same song is drawn from the cache', async () => {
    const { h, cdn } = await startWithCdn();
    const track = makeTrack({ name: 'Cached Song', albumName: 'Cached Album' });
    h.spotify.setCurrentlyPlaying(playing(track));
    for (let i = 0; i < 3; i++) {
      const { attachments } = await settled(h, nowplaying(h));
      expect(attachments).toHaveLength(1);
    }
    expect(cdn.fetchCount(coverId(track))).toBe(1);
    expect(cdn.totalFetches()).toBe(1);
  });

  it('a podcast episode gets a card too', async () => {
    const { h } = await startWithCdn();
    h.spotify.setCurrentlyPlaying(playing(makeEpisode()));
    const { attachments, embed } = await settled(h, nowplaying(h));
    expect(attachments.map((a) => a.filename)).toEqual(['nowplaying.jpg']);
    expect(embed?.image?.url).toBe('attachment://nowplaying.jpg');
  });

  it('a local file gets a card with the placeholder, and nothing is fetched for it', async () => {
    const { h, cdn } = await startWithCdn();
    h.spotify.setCurrentlyPlaying(playing(makeLocalTrack({ title: 'Home Recording', artist: 'Me' })));
    const { attachments, embed } = await settled(h, nowplaying(h));
    expect(attachments).toHaveLength(1);
    expect((await decoded(attachments[0]!.data)).width).toBe(800);
    expect(embed?.description).toContain('Local file');
    expect(cdn.totalFetches()).toBe(0);
  });

  it('an ad and nothing playing get the text reply, with no file', async () => {
    const { h } = await startWithCdn();
    h.spotify.setCurrentlyPlaying(adPlaying());
    const ad = await settled(h, nowplaying(h));
    expect(ad.uploads).toEqual([]);
    expect(ad.attachments).toEqual([]);
    expect(ad.embed?.image).toBeUndefined();
    expect(ad.embed?.description).toMatch(/ad is playing/i);

    h.spotify.setCurrentlyPlaying(null);
    const nothing = await settled(h, nowplaying(h));
    expect(nothing.uploads).toEqual([]);
    expect(nothing.embed?.image).toBeUndefined();
    expect(nothing.embed?.description).toMatch(/Nothing is playing/);
  });

  it('a cover that never answers: the reply is deferred in time, then edited in with the placeholder card', async () => {
    const { h, cdn } = await startWithCdn();
    const track = makeTrack({ name: 'Slow Cover', albumName: 'Slow Album' });
    cdn.setFault(coverId(track), 'hang');
    h.spotify.setCurrentlyPlaying(playing(track));
    const expired = h.discord.waitFor('interactionExpired', undefined, 6_000).then(
      () => true,
      () => false,
    );
    const handle = nowplaying(h);
    const ack = await handle.response(5_000);
    // Production timings: deferred after 1.5 s (Discord allows 3 s), the cover gives up after 3 s.
    expect(ack.type).toBe(5);
    expect(ack.at - handle.dispatchedAt).toBeLessThan(3_000);
    const { attachments, embed } = await settled(h, handle, 10_000);
    expect(embed?.image?.url).toBe('attachment://nowplaying.jpg');
    expect((await decoded(attachments[0]!.data)).height).toBe(280);
    expect(h.logs.lines.filter((l) => l.includes('placeholder') && l.includes('timeout'))).toHaveLength(1);
    expect(await expired).toBe(false);
  }, 20_000);

  it('a card that cannot be drawn falls back to the text reply, and the cause is logged once', async () => {
    const { h } = await startWithCdn({
      pictures: {
        drawers: {
          card: async () => {
            throw new Error('Skia is not available on this machine');
          },
        },
      },
    });
    h.spotify.setCurrentlyPlaying(playing(makeTrack()));
    for (let i = 0; i < 2; i++) {
      const { uploads, embed } = await settled(h, nowplaying(h));
      expect(uploads).toEqual([]);
      expect(embed?.title).toBe('Blinding Lights');
      expect(embed?.image).toBeUndefined();
      expect(embed?.thumbnail?.url).toMatch(/^https:\/\/i\.scdn\.co\/image\//);
    }
    expect(h.logs.lines.filter((l) => l.includes('could not draw the card'))).toHaveLength(1);
  });
});

describe('/nowplaying style:text', () => {
  it("is today's embed with its thumbnail, and no file", async () => {
    const { h, cdn } = await startWithCdn();
    h.spotify.setCurrentlyPlaying(playing(makeTrack()));
    const { uploads, attachments, embed } = await settled(h, nowplaying(h, 'text'));
    expect(uploads).toEqual([]);
    expect(attachments).toEqual([]);
    expect(embed?.image).toBeUndefined();
    expect(embed?.thumbnail?.url).toMatch(/^https:\/\/i\.scdn\.co\/image\//);
    expect(cdn.totalFetches()).toBe(0);
  });
});

describe('lazy canvas', () => {
  it('a bot answering style:text never loads @napi-rs/canvas; the first card does', async () => {
    // In a child process, so this test process's own canvas doesn't count. The whole bot is started (every command
    // module imported); covers point at a closed port, so the emulators never draw anything themselves.
    const script = `
      const { DiscordEmulator } = await import('./emulators/discord.ts');
      const { emulatorEnv, TEST_DISCORD_TOKEN } = await import('./emulators/env.ts');
      const { makeTrack, playing } = await import('./emulators/spotify-fixtures.ts');
      const { buildApp, startSpotifyEmulator } = await import('./test/support/spotify-app.ts');
      const { startAppBot } = await import('./src/bot.ts');
      const { commands } = await import('./commands/index.ts');
      const skia = () => process.report.getReport().sharedObjects.some((p) => /skia|napi-rs|canvas/i.test(p));
      const spotify = await startSpotifyEmulator();
      spotify.setCurrentlyPlaying(playing(makeTrack()));
      const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });
      const { app, storage } = await buildApp(spotify, { env: { ...emulatorEnv(discord), PRESENCE_CRON: 'off', SPOTIFY_IMAGES_URL: 'http://127.0.0.1:9' } });
      const bot = await startAppBot(app, { commands });
      await bot.ready;
      const started = skia();
      const text = await discord.slashCommand({ name: 'nowplaying', options: [{ name: 'style', type: 3, value: 'text' }] }).finalMessage(10000);
      const afterText = skia();
      const card = discord.slashCommand({ name: 'nowplaying' });
      const cardMessage = await card.finalMessage(10000);
      const afterCard = skia();
      console.log(JSON.stringify({ started, afterText, afterCard, textImage: text.embeds[0].image ?? null, cardImage: cardMessage.embeds[0].image ?? null, files: card.originalAttachments.length }));
      await bot.stop(); await storage.close(); await discord.close(); await spotify.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const last = stdout.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({
      started: false,
      afterText: false,
      afterCard: true,
      textImage: null,
      cardImage: { url: 'attachment://nowplaying.jpg' },
      files: 1,
    });
  }, 60_000);
});
