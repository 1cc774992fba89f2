/**
 * @jest-environment node
 */
// Every page of the built client, at a desktop's and a phone's size, in English and Korean:
// compared with its committed baseline screenshot (e2e/__screenshots__, UPDATE_SNAPSHOTS=1
// rewrites them), checked by axe-core for serious or critical findings, and, on the phone,
// for horizontal scrolling. One server, one Chromium and one seeded account for the suite.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser';
import { useServer } from './support/session';
import { compareWithBaseline, seriousAxeFindings } from './support/visual';

jest.setTimeout(60_000);

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LANGUAGES = ['en', 'ko'] as const;
/** Every date the API sends reads as this one, so dates on the pages do not change between runs. */
const FIXED_DATE = '2026-03-14T09:26:53.000Z';

interface Seeded {
  trackId: string;
  playlistId: string;
  trackShare: string;
  playlistShare: string;
}

interface PageCase {
  name: string;
  path: (s: Seeded) => string;
  /** signed in (the seeded admin) or a visitor */
  as: 'member' | 'visitor';
  /** visible once the page shows its data */
  ready: string;
  /** regions whose content changes between runs (painted over in the screenshot) */
  mask?: string[];
  /** only at this size */
  only?: (typeof SIZES)[number]['name'];
  /** brings the page into the state shown, after it is ready */
  act?: (page: Page) => Promise<void>;
}

const PAGES: PageCase[] = [
  { name: 'landing', path: () => '/', as: 'visitor', ready: '#hero-title' },
  { name: 'signin', path: () => '/signin', as: 'visitor', ready: '#email' },
  { name: 'shared', path: (s) => `/s/${s.trackShare}`, as: 'visitor', ready: 'tt-waveform-player .wave-host.ready' },
  { name: 'shared-playlist', path: (s) => `/p/${s.playlistShare}`, as: 'visitor', ready: '#shared-title' },
  { name: 'not-found', path: () => '/no-such-page', as: 'visitor', ready: 'h1' },
  { name: 'create', path: () => '/create', as: 'member', ready: '#prompt' },
  { name: 'track', path: (s) => `/tracks/${s.trackId}`, as: 'member', ready: 'tt-waveform-player .wave-host.ready', mask: ['.shares input'] },
  { name: 'library', path: () => '/library', as: 'member', ready: '[data-testid="library-list"] tt-peaks-bars rect' },
  { name: 'playlists', path: () => '/playlists', as: 'member', ready: 'main h1' },
  { name: 'playlist', path: (s) => `/playlists/${s.playlistId}`, as: 'member', ready: 'main h1', mask: ['.shares input'] },
  { name: 'settings', path: () => '/settings', as: 'member', ready: 'main h1' },
  // A token's prefix is random.
  { name: 'tokens', path: () => '/tokens', as: 'member', ready: '[data-testid="tokens"] tbody tr', mask: ['[data-testid="tokens"] code'] },
  { name: 'webhooks', path: () => '/webhooks', as: 'member', ready: 'main h1' },
  // Latencies and render speeds are measured: they differ on every run.
  { name: 'admin', path: () => '/admin', as: 'member', ready: 'main code >> text=offline', mask: ['[data-visual="measured"]'] },
  { name: 'admin-users', path: () => '/admin?tab=users', as: 'member', ready: '[data-testid="admin-users"] tbody tr' },
  { name: 'admin-audit', path: () => '/admin?tab=audit', as: 'member', ready: '[data-testid="audit-log"] tbody tr' },
  // The phone's header menu, and its player expanded (paused at the start; the clock painted over).
  { name: 'menu-open', path: () => '/library', as: 'member', ready: '[data-testid="library-list"] tt-peaks-bars rect', only: 'phone', act: (page) => page.getByTestId('menu-toggle').click() },
  {
    name: 'player-expanded',
    path: (s) => `/playlists/${s.playlistId}`,
    as: 'member',
    ready: '#play-all:enabled',
    only: 'phone',
    mask: ['[data-testid="player-bar"] .time', '.shares input'],
    async act(page) {
      await page.locator('#play-all').click();
      const bar = page.getByTestId('player-bar');
      await bar.getByTestId('player-expand').click();
      await page.waitForFunction(() => (document.querySelector('audio') as HTMLAudioElement).currentTime > 0);
      await page.evaluate(() => {
        const audio = document.querySelector('audio') as HTMLAudioElement;
        audio.pause();
        audio.currentTime = 0;
      });
      await bar.locator('tt-peaks-bars rect').first().waitFor();
      await bar.locator('.time', { hasText: /^0:00$/ }).first().waitFor();
    },
  },
];

const server = useServer({ MAX_DURATION_SECONDS: '12', ADMIN_EMAILS: 'admin@example.com', MAX_ACTIVE_JOBS_PER_USER: '10' });
let browser: Browser;
const contexts: Record<PageCase['as'], { context: BrowserContext; page: Page }> = {} as never;
let seeded: Seeded;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  for (const as of ['member', 'visitor'] as const) {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light', reducedMotion: 'reduce', viewport: { width: 1440, height: 900 } });
    // The API's dates, fixed (see FIXED_DATE).
    await context.route('**/v1/**', async (route) => {
      const response = await route.fetch();
      if (!(response.headers()['content-type'] ?? '').includes('application/json')) return route.fulfill({ response });
      const body = (await response.text()).replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${FIXED_DATE}"`);
      return route.fulfill({ response, body });
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${as}: ${error.message}`));
    // The page's own clock stands still too (anything computed from "now").
    await page.clock.setFixedTime(new Date(FIXED_DATE));
    contexts[as] = { context, page };
  }
  seeded = await seed(contexts.member.page, server.base);
}, 300_000);

afterAll(async () => {
  await browser?.close();
}, 60_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

/** The account every member page shows: two tracks (one renamed), a playlist, a share link of each, an API token. */
async function seed(page: Page, base: string): Promise<Seeded> {
  const api = page.request;
  const ok = async <T>(response: Promise<import('playwright-core').APIResponse>): Promise<T> => {
    const r = await response;
    if (!r.ok()) throw new Error(`${r.url()}: ${r.status()} ${await r.text()}`);
    return (await r.json().catch(() => ({}))) as T;
  };
  await ok(api.post(`${base}/v1/auth/login`, { data: { email: 'admin@example.com' } }));
  const tracks: string[] = [];
  for (const [prompt, seed] of [
    ['calm lighthouse piano at dusk, 80 bpm', 7],
    ['비 오는 밤의 재즈 피아노, 느린 템포', 11],
  ] as const) {
    const job = await ok<{ job_id: string }>(api.post(`${base}/v1/generations`, { data: { prompt, duration: 4, seed } }));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await ok<{ status: string; track_ids: string[] }>(api.get(`${base}/v1/generations/${job.job_id}`));
      if (state.status === 'succeeded') {
        tracks.push(state.track_ids[0]);
        break;
      }
      if (state.status === 'failed' || state.status === 'canceled' || Date.now() > deadline) throw new Error(`the seed generation ended ${state.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await ok(api.patch(`${base}/v1/tracks/${tracks[0]}`, { data: { title: 'Lighthouse at dusk' } }));
  const playlist = await ok<{ id: string }>(api.post(`${base}/v1/playlists`, { data: { title: 'Evening' } }));
  for (const trackId of tracks) await ok(api.post(`${base}/v1/playlists/${playlist.id}/tracks`, { data: { trackId } }));
  const token = (share: { url: string }) => share.url.split('/').filter(Boolean).at(-1)!;
  const trackShare = await ok<{ url: string }>(api.post(`${base}/v1/tracks/${tracks[0]}/share`, { data: {} }));
  const playlistShare = await ok<{ url: string }>(api.post(`${base}/v1/playlists/${playlist.id}/share`, { data: {} }));
  await ok(api.post(`${base}/v1/tokens`, { data: { name: 'portal back end', expiresInDays: 30, scopes: ['read', 'generate'] } }));
  return { trackId: tracks[0], playlistId: playlist.id, trackShare: token(trackShare), playlistShare: token(playlistShare) };
}

/** Opens `path` and waits until it is drawn completely: its data, its fonts, no spinner. */
async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${server.base}${path}`);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  // (a closed dialog may hold one)
  await page.waitForFunction(() => ![...document.querySelectorAll('.spinner')].some((spinner) => spinner.checkVisibility()));
  await settle(page);
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    // Two frames: whatever the last change scheduled has been painted.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    describe(`every page in ${lang} at ${size.width}×${size.height}`, () => {
      beforeAll(async () => {
        for (const { page } of Object.values(contexts)) {
          await page.setViewportSize({ width: size.width, height: size.height });
          await page.goto(`${server.base}/no-such-page`);
          await page.waitForLoadState('networkidle');
          await page.evaluate((value) => localStorage.setItem('texttune.lang', value), lang);
          // Nothing queued from a previous test: the player bar stays closed.
          // (on a phone its close button is folded away: clicked from the script)
          await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid="player-bar"] .side button:last-child')?.click());
          await page.locator('[data-testid="player-bar"]').waitFor({ state: 'detached' });
        }
      });

      it.each(PAGES.filter((p) => !p.only || p.only === size.name).map((p) => [p.name, p] as const))('%s', async (name, pageCase) => {
        const { page } = contexts[pageCase.as];
        await open(page, pageCase.path(seeded), pageCase.ready);
        if (pageCase.act) {
          await pageCase.act(page);
          await settle(page);
        }
        expect(await page.getAttribute('html', 'lang')).toBe(lang);

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect({ page: name, horizontalOverflowPx: Math.max(0, overflow) }).toEqual({ page: name, horizontalOverflowPx: 0 });

        expect(await seriousAxeFindings(page)).toEqual([]);

        const png = await page.screenshot({
          fullPage: true,
          animations: 'disabled',
          caret: 'hide',
          mask: (pageCase.mask ?? []).map((selector) => page.locator(selector)),
          maskColor: '#888888',
        });
        const { failure } = await compareWithBaseline(`${name}.${lang}.${size.name}`, png);
        expect(failure).toBeNull();
      });
    });
  }
}
