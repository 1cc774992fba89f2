/**
 * Runs the fake Space as a process:
 *   PORT (7860) HOST (127.0.0.1) FAKE_SPACE_APP (musicgen) FAKE_SPACE_LAYOUT (gradio5)
 *   FAKE_SPACE_FAIL (none) FAKE_SPACE_TOKEN FAKE_SPACE_DELAY_MS FAKE_SPACE_SLOW_MS
 *   FAKE_SPACE_OVERSIZE_BYTES FAKE_SPACE_FOREIGN_URL FAKE_SPACE_HEARTBEAT_MS
 *   FAKE_SPACE_CONNECT_HEARTBEAT FAKE_SPACE_PUBLIC_ROOT
 */
import { settingsFromEnv } from './settings';
import { startFakeSpace } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 7860);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid PORT ${process.env.PORT}`);
  const host = process.env.HOST?.trim() || '127.0.0.1';
  const space = await startFakeSpace({ port, host, ...settingsFromEnv(process.env) });
  const s = space.settings();
  console.log(
    `fake-space listening on ${space.url} (app=${s.app} layout=${s.layout} fail=${s.fail}${s.requireToken ? ' private' : ''}); control: ${space.url}/__fake/requests`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`fake-space: ${signal}, closing`);
    space.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(`fake-space: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
