import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import http from 'node:http';

type MessageClass = typeof http.IncomingMessage | typeof http.ServerResponse;

/**
 * A subclass of Node's request or response class whose prototype is Express's per-app
 * one (`app.request` / `app.response`): Express's methods above it, the app on it.
 */
function expressClass<T extends MessageClass>(base: T, perApp: object): T {
  const derived = class extends (base as typeof http.IncomingMessage) {};
  Object.setPrototypeOf(derived.prototype, Object.getPrototypeOf(perApp) as object);
  Object.defineProperties(derived.prototype, Object.getOwnPropertyDescriptors(perApp));
  return derived as T;
}

/**
 * Nest's Express adapter, with an HTTP server that makes each request and response as
 * Express's own `req`/`res` objects from the start.
 *
 * Express otherwise swaps the prototype of both objects on every request
 * (`Object.setPrototypeOf`). V8 then keeps much of each request's short-lived garbage
 * through young-generation collections: about a fifth of what a request allocated was
 * promoted to the old generation, which made every scavenge take 5–6 ms and put one
 * into roughly every fiftieth request. With the prototypes already in place, Express's
 * swap is a no-op and the request's garbage dies young (see `bench/streaming`).
 */
export class TextTuneExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    const Request = expressClass(http.IncomingMessage, app.request);
    const Response = expressClass(http.ServerResponse, app.response);
    app.request = Request.prototype as Express['request'];
    app.response = Response.prototype as Express['response'];
    this.setHttpServer(http.createServer({ IncomingMessage: Request, ServerResponse: Response }, app));
  }
}
