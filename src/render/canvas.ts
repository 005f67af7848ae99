// The one place that loads @napi-rs/canvas (Skia, ~30 MB of native code and its heap). Loaded with import() on the
// first render, so a bot that never draws a picture never maps it. Everything else in src/render imports canvas
// types only (`import type`), which TypeScript erases.

export type CanvasModule = typeof import('@napi-rs/canvas');
export type { Canvas, Image, SKRSContext2D as Context } from '@napi-rs/canvas';

let loading: Promise<CanvasModule> | undefined;
let loaded: CanvasModule | undefined;

/** @napi-rs/canvas, imported at the first call and shared afterwards. */
export function loadCanvas(): Promise<CanvasModule> {
  loading ??= import('@napi-rs/canvas').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** @napi-rs/canvas once loadCanvas has loaded it: a drawer that has it draws without waiting a turn. */
export function loadedCanvas(): CanvasModule | undefined {
  return loaded;
}
