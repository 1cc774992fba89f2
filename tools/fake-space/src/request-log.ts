/**
 * Every request the fake Space receives, in order, with the headers that matter for
 * assertions (Authorization above all) and the decoded body of the JSON routes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Json } from './types';

export type RouteName =
  | 'config'
  | 'info'
  | 'join'
  | 'data'
  | 'heartbeat'
  | 'upload'
  | 'file'
  | 'cancel'
  | 'reset'
  | 'run'
  | 'app_id'
  | 'root'
  | 'fake'
  | 'whoami'
  | 'unknown';

export interface UploadSummary {
  field: string;
  fileName: string;
  size: number;
  sha256: string;
  path: string;
}

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** path and query as received */
  url: string;
  /** path without the query */
  path: string;
  route: RouteName;
  /** the full header value, or null when absent */
  authorization: string | null;
  headers: { [name: string]: string };
  /** parsed JSON body (join, cancel, reset, run) */
  body?: Json;
  uploads?: UploadSummary[];
  status?: number;
}

const KEPT_HEADERS = ['authorization', 'content-type', 'content-length', 'accept', 'x-gradio-user', 'user-agent', 'cookie', 'range', 'host'];

export function pickHeaders(headers: IncomingHttpHeaders): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<RequestLogEntry, 'seq' | 'at'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.seq, at: new Date().toISOString(), ...entry };
    this.entries.push(full);
    return full;
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
