// /wrapped: the numbers (through Services, over RPC in a shard) → the text reply, with the tall picture drawn in by the
// process that answers (src/render/pictures.ts: lazily, within its deadline; on failure the text reply stands alone,
// saying so). Nothing is drawn for an empty year.
import type { ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { CommandContext } from '../../service-types.js';
import { withPicture } from '../nowplaying/card.js';
import { withoutWrappedPicture, wrappedAltText, wrappedPictureInput } from './replies.js';
import type { Wrapped } from './service.js';

/** Where a stored cover id lives on Spotify's image host (SPOTIFY_IMAGES_URL redirects it in tests). */
const coverUrl = (imageId: string): string => `https://i.scdn.co/image/${imageId}`;

export async function withWrappedPicture(
  ctx: Pick<CommandContext, 'pictures'>,
  text: ReplyPayload,
  wrapped: Wrapped,
  name: string,
  fan: { name: string } | null,
  inServer: boolean,
  tr: Translator = ENGLISH,
): Promise<ReplyPayload> {
  if (wrapped.totals.plays === 0) return text;
  const imageUrl = wrapped.topArtistImageId ? coverUrl(wrapped.topArtistImageId) : null;
  const image = await ctx.pictures.wrapped(wrappedPictureInput(wrapped, name, fan, inServer, imageUrl, tr), tr);
  return image ? withPicture(text, image, wrappedAltText(wrapped, name, tr)) : withoutWrappedPicture(text, tr);
}
