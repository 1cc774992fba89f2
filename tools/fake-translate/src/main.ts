/**
 * Runs the fake translation server as a process:
 *   PORT (5000) HOST (127.0.0.1) FAKE_TRANSLATE_FAIL (none) FAKE_TRANSLATE_API_KEY
 *   FAKE_TRANSLATE_DELAY_MS FAKE_TRANSLATE_SLOW_MS FAKE_TRANSLATE_ESCAPE_ENTITIES
 */
import { runServerProcess } from '@texttune/tool-http';
import { settingsFromEnv } from './settings';
import { startFakeTranslate } from './server';

runServerProcess(
  'fake-translate',
  5000,
  (address) => startFakeTranslate({ ...address, ...settingsFromEnv(process.env) }),
  (fake) => {
    const s = fake.settings();
    return `fake-translate listening on ${fake.url} (fail=${s.fail}${s.apiKey ? ' key required' : ''}): LibreTranslate ${fake.url}/translate, Google v2 ${fake.url}/language/translate/v2; control: ${fake.url}/__fake/requests`;
  },
);
