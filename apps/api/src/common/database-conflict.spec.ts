import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiExceptionFilter } from './api-exception.filter';
import { concurrentChange } from './database-conflict';

const pgError = (message: string, code: string, constraint?: string) => Object.assign(new Error(message), { code, constraint });

describe('concurrentChange', () => {
  it.each([
    ['a unique violation (inside a TypeORM error)', new QueryFailedError('INSERT', [], pgError('duplicate key value', '23505', 'users_email_key')), 'users_email_key'],
    ['a foreign key violation', new QueryFailedError('INSERT', [], pgError('violates foreign key constraint', '23503', 'track_shares_track_id_fkey')), 'track_shares_track_id_fkey'],
    ['a unique violation from node-postgres, without a constraint name', pgError('duplicate key value', '23505'), '23505'],
  ])('%s is a concurrent change', (_label, error, name) => {
    expect(concurrentChange(error)).toBe(name);
  });

  it.each([
    ['a syntax error', new QueryFailedError('SELEC', [], pgError('syntax error', '42601'))],
    ['invalid text (NUL)', new QueryFailedError('SELECT', [], pgError('invalid byte sequence for encoding "UTF8": 0x00', '22021'))],
    ['a network failure', pgError('connect ECONNREFUSED', 'ECONNREFUSED')],
    ['not an error', 'oops'],
  ])('%s is not', (_label, error) => {
    expect(concurrentChange(error)).toBeNull();
  });
});

describe('ApiExceptionFilter and concurrent changes', () => {
  it('answers a constraint refusal with 409 conflict', () => {
    const sent: { status?: number; body?: unknown } = {};
    const res = {
      headersSent: false,
      setHeader: () => undefined,
      status(code: number) {
        sent.status = code;
        return this;
      },
      json(body: unknown) {
        sent.body = body;
      },
    };
    const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ path: '/v1/tracks/x/share', id: 'r1' }) }) } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(new QueryFailedError('INSERT', [], pgError('violates foreign key constraint', '23503', 'track_shares_track_id_fkey')), host);
    expect(sent).toMatchObject({ status: 409, body: { statusCode: 409, code: 'conflict', requestId: 'r1' } });
  });
});
