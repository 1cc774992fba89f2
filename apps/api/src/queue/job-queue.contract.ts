import { PermanentJobError, type JobQueue, type QueueJob } from './job-queue';

/**
 * The behaviour every JobQueue driver must have. Each driver's spec calls this with a
 * factory making a fresh, empty queue (maxAttempts 3, backoff 20 ms).
 */
export function describeJobQueueContract(name: string, makeQueue: () => Promise<JobQueue>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let queue: JobQueue;
    beforeEach(async () => {
      queue = await makeQueue();
    });
    afterEach(() => queue.close(0));

    const until = async (check: () => boolean, ms = 10_000) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('delivers every job once, respecting the concurrency', async () => {
      const seen: string[] = [];
      let running = 0;
      let peak = 0;
      queue.process(async (job) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(15);
        seen.push(job.id);
        running--;
      }, 3);
      const ids = Array.from({ length: 20 }, (_, i) => `job-${i}`);
      for (const id of ids) await queue.enqueue(id);
      await until(() => seen.length === 20);
      await sleep(100);
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(peak).toBeLessThanOrEqual(3);
      expect(peak).toBeGreaterThan(1);
    });

    it('keeps jobs added before a worker starts, and ignores a duplicate add of a waiting job', async () => {
      await queue.enqueue('early');
      await queue.enqueue('early');
      await queue.enqueue('later');
      expect((await queue.counts()).waiting).toBe(2);
      const seen: string[] = [];
      queue.process(async (job) => void seen.push(job.id), 1);
      await until(() => seen.length === 2);
      await sleep(100);
      expect(seen).toEqual(['early', 'later']);
    });

    it('retries a thrown job with backoff, numbering the attempts', async () => {
      const attempts: QueueJob[] = [];
      queue.process(async (job) => {
        attempts.push(job);
        if (job.attempt < 2) throw new Error('transient');
      }, 1);
      await queue.enqueue('flaky');
      await until(() => attempts.length === 2);
      await sleep(150);
      expect(attempts.map((a) => [a.id, a.attempt, a.maxAttempts])).toEqual([
        ['flaky', 1, 3],
        ['flaky', 2, 3],
      ]);
    });

    it('stops after the last attempt', async () => {
      let calls = 0;
      queue.process(async () => {
        calls++;
        throw new Error('always');
      }, 1);
      await queue.enqueue('doomed');
      await until(() => calls === 3);
      await sleep(300);
      expect(calls).toBe(3);
    });

    it('does not retry a permanent failure', async () => {
      let calls = 0;
      queue.process(async () => {
        calls++;
        throw new PermanentJobError('no retry can fix this');
      }, 1);
      await queue.enqueue('broken');
      await until(() => calls === 1);
      await sleep(300);
      expect(calls).toBe(1);
    });

    it('delivers a job enqueued as fresh, once', async () => {
      await queue.enqueue('new-row', { fresh: true });
      await queue.enqueue('new-row');
      expect((await queue.counts()).waiting).toBe(1);
      const seen: string[] = [];
      queue.process(async (job) => void seen.push(job.id), 1);
      await until(() => seen.length === 1);
      await sleep(100);
      expect(seen).toEqual(['new-row']);
    });

    it('removes a waiting job', async () => {
      await queue.enqueue('keep');
      await queue.enqueue('drop');
      await queue.remove('drop');
      const seen: string[] = [];
      queue.process(async (job) => void seen.push(job.id), 1);
      await until(() => seen.length === 1);
      await sleep(150);
      expect(seen).toEqual(['keep']);
    });

    it('accepts the same id again once its job has finished', async () => {
      const seen: string[] = [];
      queue.process(async (job) => void seen.push(job.id), 1);
      await queue.enqueue('again');
      await until(() => seen.length === 1);
      await sleep(50);
      await queue.enqueue('again');
      await until(() => seen.length === 2);
    });

    it('on close, lets a running job finish within the grace period', async () => {
      let started = false;
      let finished = false;
      queue.process(async () => {
        started = true;
        await sleep(300);
        finished = true;
      }, 1);
      await queue.enqueue('slow');
      await until(() => started);
      await queue.close(5000);
      expect(finished).toBe(true);
    });

    it('answers ping while open', async () => {
      await expect(queue.ping()).resolves.toBeUndefined();
    });
  });
}
