import { SHARE_DEFAULT_HOURS } from '@texttune/contracts';
import { shareToken } from './format';

/** How long a new share link lasts: the choices offered (hours). */
export const SHARE_CHOICES = [24, SHARE_DEFAULT_HOURS, 24 * 30] as const;

/** The public page of a share link: `/s/<token>` for a track, `/p/<token>` for a playlist. */
export function sharePageUrl(kind: 'track' | 'playlist', apiUrl: string, origin = globalThis.location?.origin ?? ''): string {
  return `${origin}/${kind === 'track' ? 's' : 'p'}/${encodeURIComponent(shareToken(apiUrl))}`;
}

/** Copies `text`; false when the browser refuses (the caller selects it for copying by hand). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
