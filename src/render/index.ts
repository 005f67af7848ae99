// Pictures: the now-playing card and the cover chart, and the cover-art fetcher they share.
// Importing this module loads no canvas and no font: @napi-rs/canvas is imported on the first render.

export { CoverArt, SPOTIFY_IMAGE_HOSTS, imageSize } from './cover-art.js';
export type { CoverArtOptions, CoverArtStats, CoverFailure, CoverResult } from './cover-art.js';
export { renderNowPlayingCard, hasCard, CARD_WIDTH, CARD_HEIGHT } from './card.js';
export type { CardInput, CardState, CardTrack, CardEpisode } from './card.js';
export { renderChart, deriveTopAlbums, albumTiles, trackTiles, artistTiles, CHART_SIZES } from './chart.js';
export type { ChartInput, ChartKind, ChartSize, ChartTile, ChartTrack, ChartArtist, TopAlbum } from './chart.js';
export type { RenderDeps, RenderedImage } from './draw-kit.js';
