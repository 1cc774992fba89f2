import { InProcessJobQueue } from './in-process-job-queue';
import { describeJobQueueContract } from './job-queue.contract';

describeJobQueueContract('in-process', async () => new InProcessJobQueue({ maxAttempts: 3, backoffMs: 20 }));
