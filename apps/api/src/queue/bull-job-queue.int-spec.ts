import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { BullJobQueue, bullQueueOptions } from './bull-job-queue';
import { describeJobQueueContract } from './job-queue.contract';
import { GENERATION_QUEUE } from './queue.constants';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) {
    const queue = new Bull(GENERATION_QUEUE, REDIS_URL, { prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

// Each test gets a queue under a prefix of its own on the machine's real Redis.
describeJobQueueContract('bull (real Redis)', async () => {
  const policy = { maxAttempts: 3, backoffMs: 20 };
  const prefix = `tt-test-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  const queue = new Bull<{ id: string }>(GENERATION_QUEUE, REDIS_URL, bullQueueOptions({ ...policy, lockSeconds: 5, prefix }));
  await queue.isReady();
  return new BullJobQueue(queue, policy);
});
