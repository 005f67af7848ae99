// The recap's picture: the week's top albums as a 3×3 cover chart, drawn by the existing chart renderer. Kept to
// one function so it can be swapped for the shared server-chart function when that lands.
import type { Pictures } from '../../render/pictures.js';
import type { RenderedImage } from '../../render/draw-kit.js';
import type { RecapWeek } from './service.js';

const SPOTIFY_IMAGE = 'https://i.scdn.co/image/';

/** The server's week as a cover chart (top albums), or null when there is nothing to draw or it could not be drawn. */
export async function recapChartPicture(pictures: Pick<Pictures, 'chart'>, week: RecapWeek, heading: string): Promise<RenderedImage | null> {
  if (week.topAlbums.length === 0) return null;
  return pictures.chart({
    kind: 'albums',
    size: 3,
    heading,
    tiles: week.topAlbums.map((a) => ({ title: a.name, ...(a.artist ? { subtitle: a.artist } : {}), imageUrl: a.imageId ? `${SPOTIFY_IMAGE}${a.imageId}` : null })),
  });
}
