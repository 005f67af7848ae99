// The text kit: every cut is well-formed and within its limit, for hostile input too (fuzzed); payload clamps for
// replies, modals, the status reply and DMs (the DM through the real notifier against the Discord emulator).
import { ComponentType, TextInputStyle } from 'discord.js';
import type { APIEmbed } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord.js';
import { TEST_DISCORD_TOKEN } from '../emulators/env.js';
import {
  clampEmbeds,
  clampMessageContent,
  clampModal,
  clampPayload,
  ELLIPSIS,
  escapeAndTruncate,
  stripLinks,
  truncate,
  truncateMarkdown,
  wellFormed,
} from '../src/discord/text.js';
import { loginModal, statusReply } from '../src/features/account/replies.js';
import { ENGLISH } from '../src/i18n/translator.js';
import { createOwnerNotifier } from '../src/owner-notifier.js';
import { silentLogger } from '../src/logger.js';

// ---------------------------------------------------------------------------------------------------------------
// Independent checks: the platform's own well-formedness test, and grapheme boundaries from Intl.Segmenter.

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
const native = (s: string): WellFormedString => s as unknown as WellFormedString;

function boundaries(text: string): Set<number> {
  const out = new Set<number>([0, text.length]);
  for (const { index } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) out.add(index);
  return out;
}

/** A seeded PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a', 'Z', ' ', '  ', '\\', '[', ']', '*', '_', '`', '|', '<', '>', '\n', '\t', '(', ')', 'é', '日本',
  '😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇩🇪🇫', 'e\u0301', 'a\u0301\u0302\u0303', '\u0301',
  '\uD83D', '\uDE00', '\uDBFF', '\uDC00', '\uD800\uD800', '\uDC00\uD83D\uDE00',
];

function randomString(next: () => number, maxPieces: number): string {
  const n = Math.floor(next() * maxPieces);
  let out = '';
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)]!;
  return out;
}

function expectCut(input: string, out: string, limit: number): void {
  expect(native(out).isWellFormed(), JSON.stringify({ input, limit, out })).toBe(true);
  expect(out.length).toBeLessThanOrEqual(Math.max(0, limit));
}

// ---------------------------------------------------------------------------------------------------------------

describe('well-formed cuts (fuzzed)', () => {
  const next = prng(0x5eed);
  const inputs = Array.from({ length: 200 }, () => randomString(next, 24));

  it('wellFormed replaces exactly the lone surrogates, like String.prototype.toWellFormed', () => {
    for (const input of inputs) expect(wellFormed(input)).toBe(native(input).toWellFormed());
    expect(wellFormed('a\uD83Db')).toBe('a\uFFFDb');
    expect(wellFormed('\uDE00\uD83D\uDE00\uD83D')).toBe('\uFFFD😀\uFFFD');
  });

  it('truncate: at every cut point the output is well-formed, within the limit, and a grapheme-aligned prefix', () => {
    for (const input of inputs) {
      const clean = native(input).toWellFormed();
      const cuts = boundaries(clean);
      for (let limit = 0; limit <= input.length + 1; limit++) {
        const out = truncate(input, limit);
        expectCut(input, out, limit);
        if (clean.length <= limit) {
          expect(out).toBe(clean);
          continue;
        }
        if (limit === 0) {
          expect(out).toBe('');
          continue;
        }
        expect(out.endsWith(ELLIPSIS)).toBe(true);
        const kept = out.slice(0, -ELLIPSIS.length);
        expect(clean.startsWith(kept)).toBe(true);
        expect(cuts.has(kept.length), JSON.stringify({ input, limit, out })).toBe(true);
      }
    }
  });

  it('escapeAndTruncate, truncateMarkdown and clampMessageContent: well-formed and within the limit at every cut', () => {
    for (const input of inputs) {
      for (let limit = 0; limit <= input.length * 2 + 1; limit++) {
        expectCut(input, escapeAndTruncate(input, limit), limit);
        if (limit >= 2) expectCut(input, truncateMarkdown(input, limit), limit);
      }
      expectCut(input, clampMessageContent(input.repeat(120)), 2000);
    }
  });

  it('clampEmbeds keeps hostile embeds within every limit and well-formed', () => {
    const big = (): string => randomString(next, 400).repeat(8);
    for (let round = 0; round < 30; round++) {
      const embeds: APIEmbed[] = Array.from({ length: 12 }, () => ({
        title: big(),
        description: big(),
        author: { name: big() },
        footer: { text: big() },
        fields: Array.from({ length: 30 }, () => ({ name: big(), value: big() })),
      }));
      const out = clampEmbeds(embeds);
      expect(out.length).toBeLessThanOrEqual(10);
      let total = 0;
      for (const e of out) {
        for (const [text, max] of [
          [e.title ?? '', 256],
          [e.description ?? '', 4096],
          [e.author?.name ?? '', 256],
          [e.footer?.text ?? '', 2048],
        ] as const) {
          expectCut('', text, max);
          total += text.length;
        }
        expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
        for (const f of e.fields ?? []) {
          expectCut('', f.name, 256);
          expectCut('', f.value, 1024);
          total += f.name.length + f.value.length;
        }
      }
      expect(total).toBeLessThanOrEqual(6000);
    }
  });

  it('text full of "[" is cut in linear time (a field of 200 000 brackets, escaped or not)', () => {
    for (const hostile of ['['.repeat(200_000), '\\['.repeat(100_000), '[a\\'.repeat(70_000)]) {
      const [embed] = clampEmbeds([{ description: hostile, fields: [{ name: hostile, value: hostile }] }]);
      expectCut('', embed?.description ?? '', 4096);
      expectCut('', embed?.fields?.[0]?.value ?? '', 1024);
    }
    expect(stripLinks('a [b](https://x.y/z) \\[c](https://x.y) [[d](https://x.y)]')).toBe('a b \\[c](https://x.y) [d]');
  });

  it('a lone surrogate in a short name that needs no cut still comes out well-formed', () => {
    expect(truncate('Song \uD83D', 100)).toBe('Song \uFFFD');
    expect(escapeAndTruncate('Song_\uDE00', 100)).toBe('Song\\_\uFFFD');
    expect(truncateMarkdown('[x\uD83D](https://e.x)', 100)).toBe('[x\uFFFD](https://e.x)');
  });
});

describe('payload clamps', () => {
  it('clampPayload cuts content and button labels too', () => {
    const payload = clampPayload({
      content: `${'x'.repeat(2100)}\uD83D`,
      embeds: [{ title: `t\uDE00${'y'.repeat(300)}` }],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: 1, label: `${'🎵'.repeat(60)}`, custom_id: 'a' }],
        },
      ],
    });
    expectCut('', payload.content ?? '', 2000);
    expectCut('', payload.embeds[0]?.title ?? '', 256);
    const button = payload.components[0]?.components[0];
    expect(button && 'label' in button ? button.label?.length : -1).toBeLessThanOrEqual(80);
    expect(button && 'custom_id' in button ? button.custom_id : null).toBe('a');
  });

  it('clampModal keeps title ≤ 45, labels ≤ 45, placeholders ≤ 100 and values within max_length', () => {
    const modal = clampModal({
      custom_id: 'm',
      title: `Finish linking ${'Spotify '.repeat(10)}\uD83D`,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.TextInput,
              custom_id: 'f',
              label: 'L'.repeat(60),
              style: TextInputStyle.Short,
              placeholder: 'p'.repeat(150),
              value: 'v'.repeat(300),
              max_length: 200,
            },
          ],
        },
      ],
    });
    expectCut('', modal.title, 45);
    const row = modal.components[0];
    const input = row && 'components' in row ? row.components[0] : undefined;
    expect(input && 'label' in input ? input.label?.length : -1).toBeLessThanOrEqual(45);
    expect(input && 'placeholder' in input ? input.placeholder?.length : -1).toBeLessThanOrEqual(100);
    expect(input && 'value' in input ? input.value?.length : -1).toBeLessThanOrEqual(200);
    // The real login modal is within the limits as it is.
    expect(loginModal(ENGLISH).title.length).toBeLessThanOrEqual(45);
  });

  it('/spotify status goes through the embed clamp: a huge scope list and a hostile account name stay within limits', () => {
    const scope = Array.from({ length: 200 }, (_, i) => `scope-number-${i}`).join(' ');
    const reply = statusReply({
      health: {
        grantedAt: 0,
        grantedAtKnown: true,
        expiresAt: 15_552_000_000,
        daysLeft: 100,
        expiringSoon: false,
        dead: null,
        grant: { refreshToken: 'r'.repeat(40), envFingerprint: null, grantedAt: 0, firstSeenAt: 0, scope, source: 'login' },
      },
      account: `${'**Me** '.repeat(100)}\uD83D`,
      lastSuccessAt: null,
      rateLimit: { retryAfterSeconds: 0, quotaExceeded: false },
      now: 1_000,
    }, ENGLISH);
    const embed = reply.embeds[0]!;
    for (const f of embed.fields ?? []) {
      expectCut('', f.value, 1024);
      expectCut('', f.name, 256);
    }
    const scopes = embed.fields?.find((f) => f.name === 'Granted scopes');
    expect(scopes?.value.startsWith('scope-number-0\nscope-number-1\n')).toBe(true);
    expect(scopes?.value.endsWith(`\n${ELLIPSIS}`)).toBe(true);
  });
});

describe('DMs to the owner', () => {
  let discord: DiscordEmulator | null = null;
  afterAll(async () => {
    await discord?.close();
  });

  it('a DM longer than 2000 characters with a lone surrogate arrives cut and well-formed', async () => {
    discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });
    const ownerId = '100000000000000042';
    const notify = createOwnerNotifier({ apiUrl: discord.apiUrl, token: TEST_DISCORD_TOKEN, ownerId, logger: silentLogger });
    const text = `❌ Spotify said: ${'invalid_grant, '.repeat(200)}\uD83D`;
    expect(await notify(text)).toBe(true);
    const dm = discord.directMessages.at(-1);
    expect(dm?.userId).toBe(ownerId);
    const content = dm?.body.content ?? '';
    expectCut('', content, 2000);
    expect(content.startsWith('❌ Spotify said: invalid_grant, ')).toBe(true);
  });
});
