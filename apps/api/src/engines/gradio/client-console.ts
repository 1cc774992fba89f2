/**
 * @gradio/client has no logger option: it reports what goes wrong inside it with
 * console.error/warn/log — an aborted event stream when a connection closes mid-job (a
 * worker stopping), the TypeError its own message handler throws after that, "Unexpected
 * error Connection errored out." Printed raw, these break a JSON log. Once routed, console
 * calls made from inside @gradio/client go to the app's logger instead: at debug level
 * while connections are being closed (expected then) and as warnings otherwise; the
 * engine reports each job's outcome itself (EngineError). Every other console call is
 * untouched.
 */
import { Logger } from '@nestjs/common';
import path from 'node:path';
import { format, inspect } from 'node:util';

const METHODS = ['error', 'warn', 'log'] as const;
const LIBRARY_PATH = `${path.sep}node_modules${path.sep}@gradio${path.sep}client${path.sep}`;

type ConsoleMethod = (typeof METHODS)[number];

let routed: { closing: number } | undefined;

/** Whether the function that called `wrapper` (a console method below) is @gradio/client's. */
function calledFromLibrary(wrapper: (...args: unknown[]) => void): boolean {
  const holder: { stack?: string } = {};
  // The trace starts at wrapper's caller: line 0 is the message, line 1 that caller.
  Error.captureStackTrace(holder, wrapper);
  return (holder.stack ?? '').split('\n')[1]?.includes(LIBRARY_PATH) ?? false;
}

/** One line of text for console arguments: errors as `Name: message`, without their stack. */
export function describeConsoleArgs(args: unknown[]): string {
  return args
    .map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : inspect(arg, { depth: 2, breakLength: Infinity })))
    .map((part) => format('%s', part))
    .join(' ')
    .replace(/\s*\n\s*/g, ' ');
}

/** Routes @gradio/client's console output to the logger (once per process; later calls do nothing). */
export function routeGradioClientConsole(logger: Pick<Logger, 'warn' | 'debug'> = new Logger('GradioClient')): void {
  if (routed) return;
  const state = (routed = { closing: 0 });
  for (const method of METHODS) {
    const original = console[method].bind(console) as (...args: unknown[]) => void;
    const routedConsole = (...args: unknown[]): void => {
      if (!calledFromLibrary(routedConsole)) return original(...args);
      const text = `@gradio/client: ${describeConsoleArgs(args)}`;
      if (state.closing > 0 || method === 'log') logger.debug(text);
      else logger.warn(text);
    };
    console[method] = routedConsole as Console[ConsoleMethod];
  }
}

/** Marks connections as closing while `close` runs, so the library's teardown reports are debug lines. */
export async function whileClosing<T>(close: () => Promise<T>, settleMs = 1000): Promise<T> {
  if (!routed) return close();
  const state = routed;
  state.closing++;
  try {
    return await close();
  } finally {
    // The library reports an aborted stream on later ticks (its event handlers run after close()).
    setTimeout(() => state.closing--, settleMs).unref();
  }
}
