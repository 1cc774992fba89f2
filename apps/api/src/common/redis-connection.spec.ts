import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { isRedisUnreachable, RedisConnectionLog } from './redis-connection';

/** Stands for an ioredis connection: the log only listens to its events and reads its address. */
const connection = () => Object.assign(new EventEmitter(), { options: { host: '10.0.0.5', port: 6390 } }) as unknown as Redis;
const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6390'), { code: 'ECONNREFUSED' });

describe('RedisConnectionLog', () => {
  const lines: { level: string; text: string }[] = [];
  const log = new RedisConnectionLog({ error: (text: string) => void lines.push({ level: 'error', text }), log: (text: string) => void lines.push({ level: 'log', text }) });
  const [events, queue] = [connection(), connection()];
  log.watch(events, 'events (publish)');
  log.watch(queue, 'job queue (client)');

  beforeEach(() => (lines.length = 0));

  it('says nothing while every connection is fine', () => {
    events.emit('ready');
    queue.emit('ready');
    expect(lines).toEqual([]);
  });

  it('logs an outage once, however many connections fail and retry', () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      events.emit('error', refused());
      queue.emit('error', refused());
    }
    expect(lines).toEqual([{ level: 'error', text: expect.stringMatching(/^Redis at 10\.0\.0\.5:6390 is unreachable \(connect ECONNREFUSED 10\.0\.0\.5:6390; first seen by the events \(publish\) connection\)/) }]);
    expect(log.down).toBe(true);
  });

  it('logs the recovery once, when the last failing connection is back', () => {
    events.emit('ready');
    expect(lines).toEqual([]);
    queue.emit('error', refused());
    queue.emit('ready');
    expect(lines).toEqual([{ level: 'log', text: expect.stringMatching(/^Redis at 10\.0\.0\.5:6390 is reachable again, after \d+\.\d s$/) }]);
    expect(log.down).toBe(false);
  });

  it('logs a second outage again, and ends it quietly when its connections close for good', () => {
    events.emit('error', refused());
    queue.emit('error', refused());
    events.emit('end');
    queue.emit('end');
    expect(lines.map((line) => line.level)).toEqual(['error']);
    expect(log.down).toBe(false);
  });
});

describe('isRedisUnreachable', () => {
  it('tells connection failures from command errors', () => {
    expect(isRedisUnreachable(refused())).toBe(true);
    expect(isRedisUnreachable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnreachable(Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(isRedisUnreachable(new Error('ERR unknown command'))).toBe(false);
    expect(isRedisUnreachable('ECONNREFUSED')).toBe(false);
  });
});
