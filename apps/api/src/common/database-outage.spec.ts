import { QueryFailedError } from 'typeorm';
import { isDatabaseOutage } from './database-outage';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseOutage', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['server shutting down (inside a TypeORM error)', new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01'))],
    ['server starting up', withCode('the database system is starting up', '57P03')],
    ['connection failure', withCode('could not connect', '08006')],
    ['out of connection slots', withCode('sorry, too many clients already', '53300')],
    ['connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pool could not connect in time', new Error('timeout exceeded when trying to connect')],
  ])('%s is an outage', (_label, error) => {
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key value', '23505'))],
    ['a syntax error of ours', withCode('syntax error at or near "SELEC"', '42601')],
    ['an unrelated error', new Error('something else')],
    ['not an error at all', 'ECONNREFUSED'],
  ])('%s is not', (_label, error) => {
    expect(isDatabaseOutage(error)).toBe(false);
  });
});
