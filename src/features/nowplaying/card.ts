// /nowplaying as a card (#12): the text reply's embed with the rendered card as its image. The text stays (search,
// screen readers, clients that don't load images); the embed's thumbnail goes, the card already shows the cover.
// Ads, nothing playing and unknown items have no card: their text reply goes out as it is. A card that can't be
// drawn (src/render/pictures.ts logs why, once per cause) also leaves the text reply as it is: never a broken image.
// Types only from src/render: nothing here loads the canvas (`style:text` never draws, so it never loads it).
import type { ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { atTime, type ListeningState } from '../../listening-state.js';
import type { CardInput } from '../../render/card.js';
import type { RenderedImage } from '../../render/draw-kit.js';
import type { Pictures } from '../../render/pictures.js';

export type NowPlayingStyle = 'card' | 'text';

/** The `style` option of /nowplaying. */
export const STYLE_CHOICES = [
  { name: 'Card (a picture, with the text)', value: 'card' },
  { name: 'Text only', value: 'text' },
] as const;

export const DEFAULT_STYLE: NowPlayingStyle = 'card';

/** Whose listening the card shows (their display name, as the text reply names them), and where it came from. */
export type CardListener = Required<CardInput['listener']>;

/** What the card draws for this state at `now`, or null: ads, nothing playing and unknown items get the text reply. */
export function cardInputOf(state: ListeningState, listener: CardInput['listener'], now: number, tr?: Translator): CardInput | null {
  const current = atTime(state, now);
  switch (current.kind) {
    case 'track':
      return {
        ...(tr ? { tr } : {}),
        listener,
        state: {
          kind: 'track',
          title: current.title,
          artists: current.artists.map((a) => ({ name: a.name })),
          album: { name: current.album.name },
          isLocal: current.isLocal,
          isPlaying: current.isPlaying,
          progressMs: current.progressMs,
          durationMs: current.durationMs,
          // A local file has no art on Spotify: the card draws its placeholder without asking.
          imageUrl: current.isLocal ? null : current.imageUrl,
        },
      };
    case 'episode':
      return {
        ...(tr ? { tr } : {}),
        listener,
        state: {
          kind: 'episode',
          title: current.title,
          show: { name: current.show.name },
          publisher: current.publisher,
          isPlaying: current.isPlaying,
          progressMs: current.progressMs,
          durationMs: current.durationMs,
          imageUrl: current.imageUrl,
        },
      };
    case 'ad':
    case 'nothing':
    case 'unknown':
      return null;
    default: {
      const unknown: never = current;
      throw new Error(`unknown listening state ${JSON.stringify(unknown)}`);
    }
  }
}

/** Alt text for the card: what it shows, in words (in the card's language). */
export function cardAltText(input: CardInput): string {
  const { state, listener } = input;
  const tr = input.tr ?? ENGLISH;
  const title = state.title || tr.t('card.untitled');
  const what =
    state.kind === 'track'
      ? tr.t('card.altTrack', { title, artists: state.artists.map((a) => a.name).join(', ') || tr.t('card.unknownArtist') })
      : tr.t('card.altEpisode', { title, show: state.show.name });
  return tr.t(state.isPlaying ? 'card.altPlaying' : 'card.altPaused', { name: listener.displayName, what });
}

/** The text reply with `image` as its first embed's image (named by `attachment://`) and the file to upload. */
export function withPicture(text: ReplyPayload, image: RenderedImage, alt: string): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const { thumbnail: _thumbnail, ...embed } = first;
  return {
    ...text,
    embeds: [{ ...embed, image: { url: `attachment://${image.name}` } }, ...rest],
    files: [{ name: image.name, attachment: image.data, description: alt }],
  };
}

/**
 * The /nowplaying reply in the chosen style: `text` as it is, or with the card drawn in (when the state has one and
 * it could be drawn). `text` is the text reply for the same `state`; `tr` the language of the card's words.
 */
export async function nowPlayingPayload(
  text: ReplyPayload,
  state: ListeningState,
  style: NowPlayingStyle,
  listener: CardListener,
  ctx: { now: () => number; pictures: Pictures },
  tr: Translator = ENGLISH,
): Promise<ReplyPayload> {
  if (style === 'text') return text;
  const input = cardInputOf(state, listener, ctx.now(), tr);
  if (!input) return text;
  const image = await ctx.pictures.card(input);
  return image ? withPicture(text, image, cardAltText(input)) : text;
}
