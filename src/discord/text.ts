// The text kit: every string the bot sends (embeds, buttons, modals, messages, presence, log lines) is cut here.
// Pure, no I/O. Cuts are well-formed: never inside a grapheme cluster (emoji, ZWJ sequence, combining marks), never
// leaving a lone surrogate — not even one that came in with the input (Spotify data can be hostile): those become
// U+FFFD. Also the shared payload helpers that keep every reply inside Discord's limits.
// Type-only imports from discord.js: the logger cuts its lines here without loading discord.js.
import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Link } from '../listening-state.js';
import { formatWait as waitIn } from '../i18n/time.js';
import { ENGLISH, type Translator } from '../i18n/translator.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A file sent with a reply (discord.js's AttachmentPayload shape); an embed shows an image with `attachment://<name>`. */
export interface ReplyFile {
  name: string;
  attachment: Buffer;
  /** Alt text (Discord shows it to screen readers). */
  description?: string;
}

/** Works for interaction.reply, editReply and update (and channel.send). */
export interface ReplyPayload {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** Files to upload (multipart); discord/respond drops a message's earlier files when it edits without any. */
  files?: ReplyFile[];
}

/** Discord's embed limits (a message over any of them is rejected with a 400). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
  content: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
} as const;

/** Discord's modal limits. */
export const MODAL_LIMITS = {
  title: 45,
  label: 45,
  placeholder: 100,
  value: 4000,
  customId: 100,
} as const;

export const COLORS = {
  /** Spotify green: something is playing. */
  playing: 0x1db954,
  paused: 0x747f8d,
  ad: 0xfaa61a,
  neutral: 0x4f545c,
  top: 0x1db954,
  error: 0xed4245,
} as const;

export const ELLIPSIS = '…';

// ---------------------------------------------------------------------------------------------------------------
// Cutting text

// Made on first use: a segmenter pages ICU's break-iterator data (~2 MB RSS), which a start without replies never needs.
let segmenter: Intl.Segmenter | null = null;
const graphemes = { segment: (text: string) => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text) };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every lone surrogate replaced by U+FFFD (what String.prototype.toWellFormed does). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Cut `text` to at most `max` UTF-16 code units (Discord counts characters; code units are never fewer), ending in
 * "…" when cut. Cuts between grapheme clusters (never inside an emoji or a surrogate pair), trims trailing spaces,
 * and never leaves a dangling markdown escape (`\`) before the ellipsis. The result is always well-formed: lone
 * surrogates in the input become U+FFFD. Not link-aware: use it on plain or escaped text, not on text that contains
 * markdown links.
 */
export function truncate(text: string, max: number): string {
  const limit = Math.max(0, Math.floor(Number.isFinite(max) ? max : 0));
  const clean = wellFormed(text);
  if (clean.length <= limit) return clean;
  if (limit === 0) return '';
  let out = '';
  // Segment only what can be kept: V8's segmenter costs time in the whole input's length for every segment. A break
  // before index `limit` depends only on the text before it and the whole code point after it, which the slice holds.
  for (const { segment } of graphemes.segment(clean.slice(0, limit + 1))) {
    if (out.length + segment.length > limit - 1) break;
    out += segment;
  }
  out = out.trimEnd();
  const trailingBackslashes = /\\*$/.exec(out)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) out = out.slice(0, -1).trimEnd();
  return out + ELLIPSIS;
}

const MARKDOWN_SPECIALS = /[\\[\]*_~`|<>]/g;

/**
 * Escape Discord markdown so a name is shown as typed: `\`, `[`, `]`, `*`, `_`, `~`, `` ` ``, `|`, plus `<` and `>`
 * (so "<@123>" is not rendered as a mention). Safe inside masked-link text: "Song [Live]" stays one link.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIALS, (ch) => `\\${ch}`);
}

/** Names are shown on one line: collapse line breaks and tabs. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Escape a raw name and fit it in `max` characters (escapes included). Cuts the raw text, never an escape sequence.
 */
export function escapeAndTruncate(raw: string, max: number): string {
  const clean = wellFormed(oneLine(raw));
  const escaped = escapeMarkdown(clean);
  const limit = Math.max(0, Math.floor(max));
  if (escaped.length <= limit) return escaped;
  if (limit === 0) return '';
  let out = '';
  for (const { segment } of graphemes.segment(clean.slice(0, limit + 1))) {
    const piece = escapeMarkdown(segment);
    if (out.length + piece.length > limit - 1) break;
    out += piece;
  }
  return out.trimEnd() + ELLIPSIS;
}

/**
 * An http(s) URL that can go in a markdown link or a button, or null. Parentheses are percent-encoded so they can't
 * close a masked link early; over-long URLs are refused (the caller then shows plain text).
 */
export function safeUrl(url: string | null | undefined, maxLength: number = EMBED_LIMITS.buttonUrl): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  return href.length <= maxLength ? href : null;
}

/** `[text](url)`, or just the text when there is no usable URL. `text` must already be escaped. */
export function mdLink(text: string, url: string | null | undefined, maxUrlLength?: number): string {
  const href = safeUrl(url, maxUrlLength);
  return href ? `[${text}](${href})` : text;
}

/**
 * Markdown links → their text. For cutting text that contains links without breaking one. One pass, linear in the
 * length (a regular expression here was quadratic on text full of "["); an escaped "\\[" never starts a link.
 */
export function stripLinks(markdown: string): string {
  const n = markdown.length;
  let out = '';
  let i = 0;
  while (i < n) {
    const ch = markdown[i]!;
    if (ch === '\\') {
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch !== '[') {
      out += ch;
      i += 1;
      continue;
    }
    let close = i + 1; // the link text's "]", skipping escapes
    while (close < n && markdown[close] !== ']') close += markdown[close] === '\\' ? 2 : 1;
    if (close >= n) {
      out += markdown.slice(i); // no "]" anywhere after: no "[" after this one can start a link either
      break;
    }
    if (markdown[close + 1] === '(') {
      let end = close + 2;
      while (end < n && markdown[end] !== ')' && !/\s/.test(markdown[end]!)) end += 1;
      if (end < n && markdown[end] === ')') {
        out += markdown.slice(i + 1, close);
        i = end + 1;
        continue;
      }
    }
    // Not a link; any "[" up to `close` would end at the same "]", so none of them is one either.
    out += markdown.slice(i, close + 1);
    i = close + 1;
  }
  return out;
}

/**
 * Fit markdown text (which may contain links) into `max` characters: keep whole lines while they fit, then "…".
 * A first line that alone is too long loses its links and is cut as text, so a link is never cut in half.
 * Well-formed like truncate.
 */
export function truncateMarkdown(markdown: string, max: number): string {
  const clean = wellFormed(markdown);
  if (clean.length <= max) return clean;
  const lines = clean.split('\n');
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (length + added + 2 > max) break; // room for "\n…"
    kept.push(line);
    length += added;
  }
  if (kept.length === 0) return truncate(stripLinks(lines[0] ?? ''), max);
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  return kept.length > 0 ? `${kept.join('\n')}\n${ELLIPSIS}` : truncate(stripLinks(lines[0] ?? ''), max);
}

/** A plain message (content of a reply or a DM) within Discord's 2000 characters. */
export function clampMessageContent(text: string): string {
  return truncateMarkdown(text, EMBED_LIMITS.content);
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting shared by features

export function formatDuration(ms: number): string {
  const totalSeconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** "42 s", "about 5 min", "about 3 h" — in the reply's language. */
export function formatWait(seconds: number, tr: Translator = ENGLISH): string {
  return waitIn(tr, seconds);
}

/**
 * "A, B and 3 more" within `budget` characters. Names are escaped (and linked when `linked` and a URL exists);
 * each name is cut to `maxName` characters.
 */
export function formatArtists(
  artists: readonly Link[],
  budget: number,
  opts: { linked: boolean; maxName?: number; maxUrlLength?: number; tr?: Translator } = { linked: true },
): string {
  const maxName = opts.maxName ?? 100;
  const tr = opts.tr ?? ENGLISH;
  const named = artists.filter((a) => oneLine(a.name) !== '');
  if (named.length === 0) return truncate(tr.t('common.unknownArtist'), budget);
  const pieces = named.map((a) => {
    const text = escapeAndTruncate(a.name, maxName);
    return opts.linked ? mdLink(text, a.url, opts.maxUrlLength) : text;
  });
  let joined = '';
  let best = '';
  for (let k = 1; k <= pieces.length; k++) {
    joined = k === 1 ? pieces[0]! : `${joined}, ${pieces[k - 1]!}`;
    if (joined.length > budget) break;
    const rest = pieces.length - k;
    const candidate = rest > 0 ? tr.t('artists.andMore', { artists: joined, count: rest }) : joined;
    if (candidate.length <= budget) best = candidate;
  }
  if (best !== '') return best;
  // Not even the first name fits as it is: shorten its text (no link) and keep the count of the others.
  const rest = named.length - 1;
  if (rest === 0) return escapeAndTruncate(named[0]!.name, Math.max(1, budget));
  // The words around the name (their length, in this language) with the name left out.
  const around = tr.t('artists.andMore', { artists: '', count: rest }).length;
  return tr.t('artists.andMore', { artists: escapeAndTruncate(named[0]!.name, Math.max(1, budget - around)), count: rest });
}

// ---------------------------------------------------------------------------------------------------------------
// Clamping whole payloads

/** Characters Discord counts towards the 6000 total: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}

/** Safety net: enforce every per-part limit on one embed (builders already stay within them). */
export function clampEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, EMBED_LIMITS.title);
  if (out.description !== undefined) out.description = truncateMarkdown(out.description, EMBED_LIMITS.description);
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, EMBED_LIMITS.author) };
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, EMBED_LIMITS.footer) };
  if (out.fields) {
    out.fields = out.fields.slice(0, EMBED_LIMITS.fields).map((f) => ({
      ...f,
      name: truncate(f.name, EMBED_LIMITS.fieldName),
      value: truncateMarkdown(f.value, EMBED_LIMITS.fieldValue),
    }));
  }
  return out;
}

/** Safety net over a whole message: per-embed limits, at most 10 embeds, 6000 characters in total. */
export function clampEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, EMBED_LIMITS.embeds).map(clampEmbed);
  let excess = out.reduce((sum, e) => sum + embedLength(e), 0) - EMBED_LIMITS.total;
  /** Cut `text` by what is still in excess: the shorter text, or null when nothing of it can stay. */
  const shorten = (text: string, cut: (t: string, max: number) => string): string | null => {
    const target = text.length - excess;
    const kept = target > 0 ? cut(text, target) : '';
    excess -= text.length - kept.length;
    return kept === '' ? null : kept;
  };
  // Last embed first: its description, then its fields, then footer, author and title; then the embed before it.
  for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
    const embed = out[i]!;
    if (embed.description) {
      const kept = shorten(embed.description, truncateMarkdown);
      if (kept === null) delete embed.description;
      else embed.description = kept;
    }
    while (excess > 0 && embed.fields && embed.fields.length > 0) {
      const field = embed.fields.pop()!;
      excess -= field.name.length + field.value.length;
    }
    if (excess > 0 && embed.footer) {
      const kept = shorten(embed.footer.text, truncate);
      if (kept === null) delete embed.footer;
      else embed.footer = { ...embed.footer, text: kept };
    }
    if (excess > 0 && embed.author) {
      const kept = shorten(embed.author.name, truncate);
      if (kept === null) delete embed.author;
      else embed.author = { ...embed.author, name: kept };
    }
    if (excess > 0 && embed.title) {
      const kept = shorten(embed.title, truncate);
      if (kept === null) delete embed.title;
      else embed.title = kept;
    }
  }
  return out;
}

function clampButton(button: APIButtonComponent): APIButtonComponent {
  if (!('label' in button) || button.label === undefined) return button;
  return { ...button, label: truncate(button.label, EMBED_LIMITS.buttonLabel) };
}

/** Every limit of a reply: content, embeds and button labels. Applied by discord/respond to everything it sends. */
export function clampPayload(payload: ReplyPayload): ReplyPayload {
  return {
    ...(payload.content !== undefined ? { content: clampMessageContent(payload.content) } : {}),
    embeds: clampEmbeds(payload.embeds),
    components: payload.components.map((row) => ({ ...row, components: row.components.map(clampButton) })),
    ...(payload.files ? { files: payload.files } : {}),
  };
}

/** One embed (clamped) plus button rows: the shape of every reply. */
export function embedPayload(embed: APIEmbed, components: ButtonRow[] = []): ReplyPayload {
  return { embeds: clampEmbeds([embed]), components };
}

/** An embed thumbnail for a usable image URL, or nothing. */
export function thumbnail(url: string | null): Pick<APIEmbed, 'thumbnail'> {
  const href = safeUrl(url, 2048);
  return href ? { thumbnail: { url: href } } : {};
}

/** Safety net for a modal: title, labels, placeholders and prefilled values within Discord's limits. */
export function clampModal(modal: APIModalInteractionResponseCallbackData): APIModalInteractionResponseCallbackData {
  return {
    ...modal,
    title: truncate(modal.title, MODAL_LIMITS.title),
    components: modal.components.map((row) => {
      if (!('components' in row)) return row;
      return {
        ...row,
        components: row.components.map((input) => ({
          ...input,
          ...(input.label !== undefined ? { label: truncate(input.label, MODAL_LIMITS.label) } : {}),
          ...(input.placeholder !== undefined ? { placeholder: truncate(input.placeholder, MODAL_LIMITS.placeholder) } : {}),
          ...(input.value !== undefined ? { value: truncate(input.value, Math.min(MODAL_LIMITS.value, input.max_length ?? MODAL_LIMITS.value)) } : {}),
        })),
      };
    }),
  };
}
