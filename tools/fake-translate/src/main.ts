/**
 * Runs the fake translation server as a process:
 *   PORT (5000) HOST (127.0.0.1) FAKE_TRANSLATE_FAIL (none) FAKE_TRANSLATE_API_KEY
 *   FAKE_TRANSLATE_DELAY_MS FAKE_TRANSLATE_SLOW_MS FAKE_TRANSLATE_ESCAPE_ENTITIES
 */
import { settingsFromEnv } from './settings';
import { startFakeTranslate } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid PORT ${process.env.PORT}`);
  const host = process.env.HOST?.trim() || '127.0.0.1';
  const fake = await startFakeTranslate({ port, host, ...settingsFromEnv(process.env) });
  const s = fake.settings();
  console.log(
    `fake-translate listening on ${fake.url} (fail=${s.fail}${s.apiKey ? ' key required' : ''}): LibreTranslate ${fake.url}/translate, Google v2 ${fake.url}/language/translate/v2; control: ${fake.url}/__fake/requests`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`fake-translate: ${signal}, closing`);
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(`fake-translate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
