import { Logger, type LoggerService } from '@nestjs/common';
import { GradioEngine } from '../src/engines/gradio';
import { FakeSpace } from './support/fake-tools';

/**
 * @gradio/client's own console output, provoked for real: a Space job (the fake Space,
 * slowed down) running while the engine closes, as in a worker that stops mid-job.
 */
describe("the Gradio client's console output", () => {
  let space: FakeSpace;
  const logged: { level: string; message: string }[] = [];
  const capture = (level: string) => (message: unknown) => void logged.push({ level, message: String(message) });
  const logger: LoggerService = { log: capture('log'), error: capture('error'), warn: capture('warn'), debug: capture('debug'), verbose: capture('verbose') };
  // Installed before any engine exists, so they see what reaches the real console.
  const printed = (['error', 'warn', 'log'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    space = await FakeSpace.start({});
  });
  afterAll(async () => {
    await space?.stop();
    printed.forEach((spy) => spy.mockRestore());
    Logger.overrideLogger(false);
  });

  it('goes to the logger, not the console, when the engine closes during a job', async () => {
    await space.reset({ app: 'musicgen', fail: 'slow', slowMs: 3000 });
    const engine = new GradioEngine({ space: space.url, timeoutSeconds: 20, maxAudioBytes: 10_000_000 });
    const request = { prompt: 'hum along', durationSeconds: 1, sampleRate: 44100, seed: 1, quality: 'draft' as const, sampling: {}, take: 0, userId: 'u' };
    let progressed = false;
    const job = engine.generate(request, { signal: new AbortController().signal, onProgress: () => void (progressed = true) }).then(
      () => null,
      (error: Error) => error,
    );
    while (!progressed) await new Promise((resolve) => setTimeout(resolve, 20));
    await engine.close();
    expect(await job).toMatchObject({ code: expect.any(String) });
    // The client reports the aborted stream on later ticks.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const fromClient = logged.filter((entry) => entry.message.startsWith('@gradio/client: '));
    expect(fromClient.map((entry) => entry.message)).toEqual(expect.arrayContaining([expect.stringContaining('AbortError')]));
    expect(new Set(fromClient.map((entry) => entry.level))).toEqual(new Set(['debug']));
    expect(fromClient.every((entry) => !entry.message.includes('\n'))).toBe(true);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();

    // Console calls of anything else still reach the console.
    console.error('not from the client');
    expect(printed[0]).toHaveBeenCalledWith('not from the client');
  }, 60_000);
});
