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
