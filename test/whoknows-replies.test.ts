// Pure parts of /whoknows and the /nowplaying history line: ordinals, the line's words and when it is left out,
// autocomplete choice names within Discord's 100 characters (cut between graphemes), values, and the ranking's rows.
import { describe, expect, it } from 'vitest';
import { playLine, nthPlayText } from '../src/features/nowplaying/play-line.js';
import { ENGLISH } from '../src/i18n/index.js';
import { whoKnowsReply } from '../src/features/whoknows/replies.js';
import { choiceId, choiceName } from '../src/features/whoknows/service.js';

describe('the history line', () => {
  it('says the nth play, the artist plays and the listeners here, singular when one', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 1002].map((n) => nthPlayText(ENGLISH, n))).toEqual(
      ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '1,002nd'].map((nth) => `${nth} play`),
    );
    expect(playLine(ENGLISH, { track: 11, artist: 139, listeners: 9 }, 'Dua Lipa', true)).toBe('12th play · 140 plays of Dua Lipa · 9 listeners here');
    expect(playLine(ENGLISH, { track: 0, artist: 0, listeners: 1 }, 'A*B', true)).toBe('1st play · 1 play of A\\*B · 1 listener here');
    expect(playLine(ENGLISH, { track: 3, artist: 5, listeners: 2 }, 'X', false)).toBe('4th play · 6 plays of X');
    expect(playLine(ENGLISH, { track: 0, artist: 0, listeners: 0 }, 'X', true)).toBeNull();
  });
});

describe('autocomplete choices', () => {
  it('names fit in 100 characters without splitting a grapheme; values name a catalogue id', () => {
    expect(choiceName({ name: 'Levitating', artist: 'Dua Lipa' })).toBe('Levitating — Dua Lipa');
    expect(choiceName({ name: 'Line\nbreak', artist: null })).toBe('Line break');
    const long = choiceName({ name: '👩‍👩‍👧'.repeat(30), artist: 'X' });
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('👩‍👩‍👧…')).toBe(true);
    expect(choiceId('id:42')).toBe(42);
    expect(choiceId('Dua Lipa')).toBeNull();
    expect(choiceId('id:4x')).toBeNull();
  });
});

describe('the ranking', () => {
  const item = { kind: 'artist' as const, id: 1, key: 'a', name: 'Band_*', artist: null };
  it('escapes names, crowns from 30 plays only, and keeps the asker counted or not', () => {
    const text = JSON.stringify(whoKnowsReply({ item, serverName: 'My *Server*', askerId: '3', askerCounted: true, rows: [{ userId: '1', plays: 30 }, { userId: '2', plays: 1 }] }));
    expect(text).toContain('My \\\\*Server\\\\* · Who knows this artist');
    expect(text).toContain('Band\\\\_\\\\*');
    expect(text).toContain('👑 <@1> · 30 plays\\n2. <@2> · 1 play\\n\\n**<@3> · 0 plays**');
    expect(text).toContain('All time · 2 listeners · 31 plays');
    const uncrowned = JSON.stringify(whoKnowsReply({ item, serverName: 'S', askerId: '1', askerCounted: true, rows: [{ userId: '1', plays: 29 }] }));
    expect(uncrowned).toContain('"description":"**1. <@1> · 29 plays**"');
    const none = JSON.stringify(whoKnowsReply({ item, serverName: 'S', askerId: '9', askerCounted: false, rows: [] }));
    expect(none).toContain('Nobody here has played this artist yet.');
    expect(none).toContain('<@9> · not counted here');
  });
});
