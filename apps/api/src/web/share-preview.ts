/** What a link preview of a shared track shows. */
export interface SharePreview {
  title: string;
  description: string;
  /** seconds */
  duration: number;
  audioMimeType: string;
}

/** The preview of a valid, active share link's track; null for any other token. */
export type SharePreviewSource = (token: string) => Promise<SharePreview | null>;

/** A track's share page: `/s/<token>`. */
const SHARE_PAGE = /^\/s\/([^/]+)\/?$/;

export function sharePageToken(urlPath: string): string | null {
  const match = SHARE_PAGE.exec(urlPath);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const DESCRIPTION_MAX = 200;

/**
 * The Open Graph and Twitter card tags of a shared track's page, for the crawlers of chat
 * apps and social sites, which read the HTML and run no script. `origin` makes the URLs
 * absolute, as those crawlers require.
 */
export function sharePreviewTags(preview: SharePreview, token: string, origin: string): string {
  const base = `${origin}/v1/shared/${encodeURIComponent(token)}`;
  const description = preview.description.length > DESCRIPTION_MAX ? `${preview.description.slice(0, DESCRIPTION_MAX - 1)}…` : preview.description;
  const tags: [string, string, string][] = [
    ['property', 'og:type', 'music.song'],
    ['property', 'og:site_name', 'TextTune'],
    ['property', 'og:title', preview.title],
    ['property', 'og:description', description],
    ['property', 'og:url', `${origin}/s/${encodeURIComponent(token)}`],
    ['property', 'og:audio', `${base}/stream`],
    ['property', 'og:audio:type', preview.audioMimeType],
    ['property', 'og:image', `${base}/preview.png`],
    ['property', 'og:image:type', 'image/png'],
    ['property', 'og:image:width', '1200'],
    ['property', 'og:image:height', '630'],
    ['property', 'music:duration', String(Math.round(preview.duration))],
    ['name', 'twitter:card', 'summary_large_image'],
    ['name', 'twitter:title', preview.title],
    ['name', 'twitter:description', description],
    ['name', 'twitter:image', `${base}/preview.png`],
  ];
  return tags.map(([attribute, key, value]) => `<meta ${attribute}="${key}" content="${escapeHtml(value)}">`).join('\n    ');
}

/** `index.html` with `tags` at the end of its head (or at its start when it has none). */
export function withHeadTags(html: string, tags: string): string {
  const end = html.search(/<\/head>/i);
  if (end >= 0) return `${html.slice(0, end)}    ${tags}\n  ${html.slice(end)}`;
  return `${tags}\n${html}`;
}
