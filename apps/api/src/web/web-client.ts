import type { NextFunction, Request, Response } from 'express';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharePageToken, sharePreviewTags, withHeadTags, type SharePreviewSource } from './share-preview';

/** Paths the API owns: never answered with the web client. */
const API_PREFIXES = ['/v1', '/docs'];
/** Angular's output names hashed files `name-HASH.ext` (8 upper-case base-32 characters). */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
/** What a request for a file looks like; anything else (`/s/<token.with.dots>`) is a page address. */
const FILE_EXTENSION = /\.(?:m?js|css|map|json|txt|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf|wasm|xml|webmanifest|html?)$/i;

/**
 * Where the production web build is: `dist/apps/web/browser`, found beside the compiled
 * API (`dist/apps/api` -> `dist/apps/web`) or under the working directory.
 */
export function findWebRoot(candidates: string[] = [path.resolve(__dirname, '../../web/browser'), path.resolve(process.cwd(), 'dist/apps/web/browser')]): string | undefined {
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

function ownedByApi(urlPath: string): boolean {
  return API_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`) || urlPath.startsWith(`${prefix}-`));
}

/** The file under `root` for a URL path, if there is one (never outside `root`). */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the single-page web client: its files (hashed ones cached for a year, the rest
 * revalidated), and `index.html` for any other page address (client-side routes such as
 * `/library` or `/tracks/…`). `/v1/…` and `/docs…` always go on to the API, so an unknown
 * API route is still the API's JSON 404.
 */
export function webClientMiddleware(root: string | undefined, sharePreview?: SharePreviewSource) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || ownedByApi(req.path)) return next();
    if (!root) {
      if (req.path === '/' && req.accepts('html')) {
        res.status(503).type('html').set('Cache-Control', 'no-store').send('<!doctype html><title>TextTune</title><p>The web client is not built. Run <code>npx nx build web</code> (or <code>npm start</code>, which builds it). The API is at <a href="/docs">/docs</a>.</p>');
        return;
      }
      return next();
    }
    const file = fileFor(root, req.path);
    if (file && path.basename(file) !== 'index.html') {
      const hashed = HASHED.test(file);
      res.sendFile(file, { maxAge: hashed ? YEAR_MS : 0, immutable: hashed, dotfiles: 'deny', headers: hashed ? {} : { 'Cache-Control': 'no-cache' } }, (error?: Error) => error && !res.headersSent && next());
      return;
    }
    // A page address: the app's shell. A missing file (`/x.js`) stays a 404.
    if (FILE_EXTENSION.test(req.path) || !req.accepts('html')) return next();
    const token = sharePreview ? sharePageToken(req.path) : null;
    if (token) {
      sendSharePage(root, token, sharePreview!, req, res).catch(next);
      return;
    }
    res.sendFile(path.join(root, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }, (error?: Error) => error && !res.headersSent && next(error));
  };
}

/**
 * A track's share page: the shell with its link preview tags (Open Graph, Twitter card)
 * when the link is valid and active, the plain shell otherwise. Revalidated on every
 * request, so a revoked link stops previewing.
 */
async function sendSharePage(root: string, token: string, preview: SharePreviewSource, req: Request, res: Response): Promise<void> {
  const html = await readFile(path.join(root, 'index.html'), 'utf8');
  const found = await preview(token);
  const origin = `${req.protocol}://${req.get('host')}`;
  res
    .status(200)
    .type('html')
    .set('Cache-Control', 'private, no-cache')
    .send(found ? withHeadTags(html, sharePreviewTags(found, token, origin)) : html);
}
