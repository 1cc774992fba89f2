import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * URLs without the credentials some carry: query parameters (tokens, the OIDC callback's
 * code and state) and share-link tokens in the path.
 */
export const redactQuery = (url: string | undefined) =>
  (url ?? '')
    .replace(/([?&](?:token|access_token|key|code|state)=)[^&]*/gi, '$1[Redacted]')
    .replace(/^(\/v1\/shared(?:-playlists)?\/)[^/?]+/, '$1[Redacted]');

function canPrettyPrint(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * Structured request logs with a request id (taken from a well-formed `X-Request-Id`
 * header or generated, and echoed back). Tokens, passwords and cookies never reach a log line.
 */
export function loggerParams(config: AppConfig): Params {
  const pretty = config.log.format === 'pretty' && canPrettyPrint();
  return {
    pinoHttp: {
      level: config.log.level,
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.accessToken', '*.token', '*.secret'],
        censor: '[Redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url), remoteAddress: req.remoteAddress }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Health probes and Prometheus scrapes would drown the log.
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/v1/health') || (req.url ?? '').startsWith('/metrics') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    },
  };
}
