// Fetching an uploaded export from Discord's CDN, safely.
//
// Only https URLs on Discord's attachment hosts are fetched (no userinfo, no other port); the check is made on the
// URL as Discord sent it. `cdnUrl` (DISCORD_CDN_URL, tests and demo: the Discord emulator) only rewrites where an
// already allowed URL is fetched, keeping its path and query, as SPOTIFY_IMAGES_URL does for cover art: it comes from
// config, so an interaction payload can never point the bot at another host. Redirects are not followed. The body
// must fit in `maxBytes` (Content-Length is checked first, then the bytes as they stream) and arrive, headers and
// body, within `timeoutMs`. Messages never include the URL (its query is a signature).

import { readCappedBody } from '../../http-body.js';
import { AttachmentError } from './errors.js';

/** Discord's attachment hosts. */
export const DISCORD_CDN_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

export interface AttachmentOptions {
  /** DISCORD_CDN_URL: fetch an allowed URL's path from this origin instead. From config only, never from payload data. */
  cdnUrl: string | null;
  maxBytes: number;
  /** The whole request, headers and body. */
  timeoutMs: number;
  /** No fetch can be injected: tests run a real server behind `cdnUrl`. */
  fetch?: never;
}

/** The URL if `raw` is an https URL on Discord's CDN (as Discord sent it), else null. */
export function discordAttachmentUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port !== '') return null;
  return DISCORD_CDN_HOSTS.includes(url.hostname) ? url : null;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** The attachment's bytes. Throws AttachmentError. */
export async function fetchAttachment(url: string, options: AttachmentOptions): Promise<Uint8Array> {
  const allowed = discordAttachmentUrl(url);
  if (!allowed) {
    throw new AttachmentError(
      'not-allowed',
      "attachments are fetched only from Discord's CDN (cdn.discordapp.com, media.discordapp.net)",
    );
  }
  const origin = options.cdnUrl?.replace(/\/+$/, '');
  const target = origin ? `${origin}${allowed.pathname}${allowed.search}` : allowed.href;
  const tooLarge = () => new AttachmentError('too-large', `the attachment is larger than ${sizeText(options.maxBytes)}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await fetch(target, { signal: controller.signal, redirect: 'manual' });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new AttachmentError('http-status', `Discord's CDN answered ${response.status} for the attachment`, response.status);
    }
    return (await readCappedBody(response, options.maxBytes, tooLarge)) ?? new Uint8Array(0);
  } catch (error) {
    if (error instanceof AttachmentError) throw error;
    if (controller.signal.aborted) {
      const seconds = Math.ceil(options.timeoutMs / 1000);
      throw new AttachmentError('timeout', `Discord's CDN did not send the attachment within ${seconds} s`);
    }
    throw new AttachmentError('network', "couldn't reach Discord's CDN to fetch the attachment");
  } finally {
    clearTimeout(timer);
  }
}
