import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsService } from './metrics.service';

export const METRICS_PATH = '/metrics';

/** The route pattern a request matched (`/v1/stream/:id`), never its raw URL (unbounded label values). */
export function routeLabel(req: Request, res: Response): string {
  const route = req.route as { path?: unknown } | undefined;
  // (Middleware mounted for every path, such as the web client's, matches as `/{*path}`.)
  if (route && typeof route.path === 'string' && !/^\/?\{\*\w+\}$/.test(route.path)) return `${req.baseUrl ?? ''}${route.path}`;
  if (req.path === METRICS_PATH) return METRICS_PATH;
  // No route: the web client's files and pages, or nothing at all.
  return res.statusCode === 404 ? '(unmatched)' : '(web)';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return Boolean(match) && timingSafeEqual(digest(match![1].trim()), digest(token));
}

/**
 * Times every request (by route pattern, once the response is finished or the client
 * went away) and answers `GET /metrics` itself. It runs before every other middleware
 * of the application (the web client's included), so a Prometheus scrape, which accepts
 * text/html too, never gets the single-page app; the JWT guard does not apply (not a
 * controller route): with METRICS_TOKEN set the bearer token is checked here.
 */
export function metricsMiddleware(metrics: MetricsService, token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route: routeLabel(req, res), status_code: String(res.statusCode) }, seconds);
    };
    res.once('finish', record);
    res.once('close', record);

    if (req.path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (token && !authorized(req.headers.authorization, token)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.json({ statusCode: 401, code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    metrics
      .render()
      .then((text) => {
        res.status(200).setHeader('Content-Type', metrics.contentType);
        res.setHeader('Cache-Control', 'no-store');
        res.end(req.method === 'HEAD' ? undefined : text);
      })
      .catch(next);
  };
}
