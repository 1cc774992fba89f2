/**
 * Runs the fake Space as a process:
 *   PORT (7860) HOST (127.0.0.1) FAKE_SPACE_APP (musicgen) FAKE_SPACE_LAYOUT (gradio5)
 *   FAKE_SPACE_FAIL (none) FAKE_SPACE_TOKEN FAKE_SPACE_DELAY_MS FAKE_SPACE_SLOW_MS
 *   FAKE_SPACE_OVERSIZE_BYTES FAKE_SPACE_FOREIGN_URL FAKE_SPACE_HEARTBEAT_MS
 *   FAKE_SPACE_CONNECT_HEARTBEAT FAKE_SPACE_PUBLIC_ROOT
 */
import { runServerProcess } from '@texttune/tool-http';
import { settingsFromEnv } from './settings';
import { startFakeSpace } from './server';

runServerProcess(
  'fake-space',
  7860,
  (address) => startFakeSpace({ ...address, ...settingsFromEnv(process.env) }),
  (space) => {
    const s = space.settings();
    return `fake-space listening on ${space.url} (app=${s.app} layout=${s.layout} fail=${s.fail}${s.requireToken ? ' private' : ''}); control: ${space.url}/__fake/requests`;
  },
);
