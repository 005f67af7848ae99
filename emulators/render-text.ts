// A reply payload as plain text, roughly as a Discord user would see it. Used by `npm run demo` and by tests that
// want readable assertions. Pure.
import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { ReplyPayload } from '../src/discord/text.js';

/** The coloured bar on the left of an embed. */
const BAR = '│ ';

/**
 * The names Discord shows for mentions: `<@id>` reads as @name (the member's server name), `<#id>` as #channel.
 * A mention the lookup does not know stays as written.
 */
export interface MentionNames {
  user(id: string): string | undefined;
  channel?(id: string): string | undefined;
}

const MENTION = /^<(@!?|#)(\d{17,20})>/;

/** The mention starting at `start` as Discord shows it, and the index after it; null if none or unknown. */
function parseMention(markdown: string, start: number, names: MentionNames): { text: string; end: number } | null {
  const match = MENTION.exec(markdown.slice(start, start + 25));
  if (!match) return null;
  const [whole, sigil, id] = match as unknown as [string, string, string];
  const name = sigil === '#' ? names.channel?.(id) : names.user(id);
  return name === undefined ? null : { text: `${sigil === '#' ? '#' : '@'}${name}`, end: start + whole.length };
}

/**
 * Discord markdown → the text a user reads: masked links show their text, escapes disappear, `**bold**` and
 * `` `code` `` lose their markers, and with `names` mentions show names (not inside code, as in Discord).
 */
export function markdownToText(markdown: string, names?: MentionNames): string {
  let out = '';
  let i = 0;
  let inCode = false;
  while (i < markdown.length) {
    const ch = markdown[i]!;
    if (ch === '\\' && i + 1 < markdown.length && /[!-/:-@[-`{-~]/.test(markdown[i + 1]!)) {
      out += markdown[i + 1]!;
      i += 2;
      continue;
    }
    if (ch === '[') {
      const link = parseLink(markdown, i);
      if (link) {
        out += markdownToText(link.text, names);
        i = link.end;
        continue;
      }
    }
    if (ch === '<' && names && !inCode) {
      const mention = parseMention(markdown, i, names);
      if (mention) {
        out += mention.text;
        i = mention.end;
        continue;
      }
    }
    if (ch === '*' && markdown[i + 1] === '*') {
      i += 2;
      continue;
    }
    if (ch === '`') {
      inCode = !inCode;
      i += 1;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** `[text](url)` starting at `start`: its (still escaped) text and the index after it, or null. */
function parseLink(markdown: string, start: number): { text: string; end: number } | null {
  let i = start + 1;
  while (i < markdown.length && markdown[i] !== ']') {
    if (markdown[i] === '\\') i += 1;
    if (markdown[i] === '\n') return null;
    i += 1;
  }
  if (i >= markdown.length || markdown[i + 1] !== '(') return null;
  const close = markdown.indexOf(')', i + 2);
  if (close === -1 || /\s/.test(markdown.slice(i + 2, close))) return null;
  return { text: markdown.slice(start + 1, i), end: close + 1 };
}

function renderEmbed(embed: APIEmbed, names?: MentionNames): string[] {
  const lines: string[] = [];
  if (embed.author) lines.push(embed.author.name);
  if (embed.title) lines.push(markdownToText(embed.title, names));
  if (embed.description) lines.push(...markdownToText(embed.description, names).split('\n'));
  for (const field of embed.fields ?? []) {
    lines.push(markdownToText(field.name, names), ...markdownToText(field.value, names).split('\n'));
  }
  if (embed.thumbnail) lines.push('[thumbnail]');
  if (embed.image) lines.push('[image]');
  if (embed.footer) lines.push(embed.footer.text);
  return lines.map((line) => (line === '' ? BAR.trimEnd() : BAR + line));
}

function renderButton(button: APIButtonComponent): string {
  const label = 'label' in button && button.label ? button.label : '…';
  const link = button.style === ButtonStyle.Link ? ' ↗' : '';
  const disabled = button.disabled ? ' (disabled)' : '';
  return `[ ${label}${link}${disabled} ]`;
}

function renderRow(row: APIActionRowComponent<APIButtonComponent>): string {
  return row.components
    .filter((c) => c.type === ComponentType.Button)
    .map(renderButton)
    .join(' ');
}

/**
 * The whole message as text: content, then each embed (prefixed with its bar), then one line per button row. With
 * `names`, mentions read as Discord shows them (`@Sam`, `#music`) instead of `<@id>`.
 */
export function renderPayload(payload: ReplyPayload, names?: MentionNames): string {
  const blocks: string[] = [];
  if (payload.content) blocks.push(names ? markdownToText(payload.content, names) : payload.content);
  for (const embed of payload.embeds) blocks.push(renderEmbed(embed, names).join('\n'));
  const rows = payload.components.map(renderRow).filter((r) => r !== '');
  if (rows.length > 0) blocks.push(rows.join('\n'));
  return blocks.join('\n');
}
