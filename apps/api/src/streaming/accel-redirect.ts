import { createHash } from 'node:crypto';
import type { Response } from 'express';

export interface AccelOptions {
  contentType: string;
  /** `Content-Disposition` (downloads) */
  disposition?: string;
  cacheControl?: string;
  /** how long the proxy may answer the same request (credentials and URL) from this answer; 0: never */
  reuseSeconds: number;
}

/**
 * Hands an authorized audio request to nginx: `X-Accel-Redirect` names the file under the
 * proxy's internal location, and nginx serves it with ranges, conditional requests and
 * sendfile. nginx keeps this answer's `Content-Type`, `Content-Disposition` and
 * `Cache-Control` on the file's response; `X-Accel-Expires` lets it reuse the answer for
 * the same credentials and URL (a player's seeks) without asking the API again, and is
 * never sent to the client.
 */
export function sendViaProxy(res: Response, internalUri: string, options: AccelOptions): void {
  res.status(200);
  res.setHeader('X-Accel-Redirect', internalUri);
  res.setHeader('X-Accel-Expires', String(options.reuseSeconds));
  res.setHeader('Content-Type', options.contentType);
  res.setHeader('Cache-Control', options.cacheControl ?? 'private');
  if (options.disposition) res.setHeader('Content-Disposition', options.disposition);
  res.end();
}

/**
 * A URL the proxy serves without asking the API (nginx's secure_link, site.conf.template):
 * `md5` is nginx's `secure_link_md5 "$secure_link_expires$uri <key>"`, base64url without
 * padding, so only the holder of the key makes one, and nginx refuses it after `expiresAt`
 * (Unix seconds). `path` is the decoded path nginx sees as $uri.
 */
export function signedProxyUrl(path: string, key: string, expiresAt: number): string {
  const md5 = createHash('md5').update(`${expiresAt}${path} ${key}`).digest('base64url');
  return `${path}?md5=${md5}&expires=${expiresAt}`;
}
