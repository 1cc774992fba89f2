/**
 * @jest-environment node
 */
// The product end to end, as a person uses it: the built web client served by the built
// API (offline engine, in-process queue, a fresh database), driven in Chromium.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { ARTIFACTS } from './support/browser';
import { useProduct } from './support/session';

jest.setTimeout(60_000);

const MAX_DURATION = 12;
const PROMPT = 'calm lighthouse piano at dusk, 80 bpm';

const product = useProduct({ MAX_DURATION_SECONDS: String(MAX_DURATION), ADMIN_EMAILS: 'admin@example.com', MAX_ACTIVE_JOBS_PER_USER: '10' });
let page: Page;
let base: string;
let firstTrackUrl = '';

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
/** The one audio element of the client: the global player's. */
const AUDIO = 'audio[data-testid="player-audio"]';
const audioTime = () => page.$eval(AUDIO, (a) => (a as HTMLAudioElement).currentTime);

beforeAll(() => {
  ({ page, base } = product);
});

describe('TextTune in the browser', () => {
  it('serves the landing page in the browser’s language (English)', async () => {
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: /Describe it\./ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toBe('Music from a sentence · TextTune');
    await shot('landing');
  });

  it('asks a signed-out visitor to sign in, then returns to the page asked for', async () => {
    await page.getByRole('link', { name: /Use this prompt/ }).first().click();
    await page.waitForURL(/\/signin\?returnUrl=/);
    await page.getByRole('button', { name: 'Continue as guest' }).waitFor();
    await shot('signin');
    await page.getByRole('button', { name: 'Continue as guest' }).click();
    await page.waitForURL(/\/create\?prompt=/);
    expect(await page.inputValue('#prompt')).toBe('calm lo-fi piano, 80 bpm, rainy evening');
    await page.getByText('Guest', { exact: true }).waitFor();
  });

  it('bounds the duration by the server’s max (from GET /v1/me): a typed value above it becomes the max in both controls', async () => {
    await page.getByText(`up to ${MAX_DURATION} s on this server`).waitFor();
    // The max comes with the user's limits: no generation request is sent to learn it.
    const probes: string[] = [];
    const listener = (request: Request) => request.url().endsWith('/v1/generations') && request.method() === 'POST' && probes.push(request.postData() ?? '');
    page.on('request', listener);
    const me = page.waitForResponse((r) => r.url().endsWith('/v1/me'));
    await page.reload();
    expect(((await (await me).json()) as { limits?: { maxDurationSeconds: number } }).limits?.maxDurationSeconds).toBe(MAX_DURATION);
    await page.getByText(`up to ${MAX_DURATION} s on this server`).waitFor();
    page.off('request', listener);
    expect(probes).toEqual([]);
    expect(await page.getAttribute('#duration-range', 'max')).toBe(String(MAX_DURATION));
    // Typed above the max: both controls show the max, and the page says so.
    await page.fill('#duration', '30');
    await page.locator('#duration').blur();
    expect(await page.inputValue('#duration')).toBe(String(MAX_DURATION));
    expect(await page.inputValue('#duration-range')).toBe(String(MAX_DURATION));
    await expect(page.getByTestId('duration-clamped').textContent()).resolves.toContain(`Set to ${MAX_DURATION} s`);
    await shot('generate-error');
  });

  it('shows the server’s duration_too_long at the field when the max was not known', async () => {
    // As if the client had not learned the max: /v1/me without limits, nothing remembered.
    await page.evaluate(() => localStorage.removeItem('texttune.maxDuration'));
    await page.route('**/v1/me', async (route) => {
      const response = await route.fetch();
      const { limits: _limits, ...body } = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: body });
    });
    try {
      await page.goto(`${base}/create`);
      await page.getByText('up to 30 s on this server').waitFor();
      await page.fill('#prompt', 'too long on purpose');
      await page.fill('#duration', '20');
      const answer = page.waitForResponse((r) => r.url().endsWith('/v1/generations') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      expect((await answer).status()).toBe(400);
      await expect(page.locator('#duration-error').textContent()).resolves.toBe(`duration must be at most ${MAX_DURATION} seconds on this server; ask for a shorter piece.`);
      await page.getByText(`up to ${MAX_DURATION} s on this server`).waitFor();
    } finally {
      await page.unroute('**/v1/me');
    }
  });

  it('generates a track with live progress and opens it', async () => {
    await page.goto(`${base}/create`);
    await page.fill('#prompt', PROMPT);
    await page.fill('#duration', '4');
    await page.getByText('up to 12 s on this server').waitFor();
    await shot('generate');
    // Record every state the progress panel shows (the offline engine is quick).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const panel = document.querySelector('[data-testid="progress"]');
        const text = panel?.querySelector('h2')?.textContent?.trim();
        const value = panel?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow');
        if (text && seen.at(-1) !== `${text}|${value}`) seen.push(`${text}|${value}`);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const sse = page.waitForResponse((r) => /\/v1\/generations\/[^/]+\/events$/.test(r.url()));
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    expect((await sse).headers()['content-type']).toContain('text/event-stream');
    await page.waitForURL(/\/tracks\/[0-9a-f-]+$/, { timeout: 30_000 });
    firstTrackUrl = page.url();
    const progress = await page.evaluate(() => (window as unknown as { __progress?: string[] }).__progress ?? []);
    // The panel may already be gone if the page changed first; if it was seen, it ended done.
    if (progress.length) expect(progress.some((p) => /Waiting in the queue|Composing|Done/.test(p))).toBe(true);
  });

  it('plays the track on its waveform, and seeks', async () => {
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('tt-waveform-player .wave-host.ready').waitFor();
    expect((await page.locator('#track-title').textContent())?.trim()).toBeTruthy();
    await expect(page.getByText(PROMPT).first().isVisible()).resolves.toBe(true);
    const ranged = page.waitForResponse((r) => r.url().includes('/v1/stream/') && r.status() === 206);
    const player = page.locator('tt-waveform-player');
    await player.getByRole('button', { name: /^Play / }).click();
    await page.waitForFunction((selector) => (document.querySelector(selector) as HTMLAudioElement).currentTime > 0.3, AUDIO);
    expect((await ranged).headers()['content-range']).toMatch(/^bytes \d+-\d+\/\d+$/);
    // It plays in the global player, docked below the page.
    await page.locator('[data-testid="player-bar"]').waitFor();
    expect(await page.locator('audio').count()).toBe(1);
    await player.getByRole('button', { name: /^Pause / }).click();
    // Seek with the keyboard: the waveform is a slider.
    await player.getByRole('slider', { name: /^Position in/ }).focus();
    await page.keyboard.press('Home');
    expect(await audioTime()).toBeLessThan(0.1);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((selector) => (document.querySelector(selector) as HTMLAudioElement).currentTime > 0.7, AUDIO);
    // …and with the mouse, near the end.
    const wave = page.locator('tt-waveform-player .wave');
    const box = (await wave.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.waitForFunction((selector) => {
      const a = document.querySelector(selector) as HTMLAudioElement;
      return a.currentTime > a.duration * 0.6;
    }, AUDIO);
    await shot('track');
  });

  it('downloads WAV and MP3', async () => {
    for (const [format, magic] of [
      ['wav', 'RIFF'],
      ['mp3', null],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.locator(`a[data-format="${format}"]`).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
      const bytes = await readFile((await file.path())!);
      expect(bytes.length).toBeGreaterThan(1000);
      if (magic) expect(bytes.subarray(0, 4).toString('latin1')).toBe(magic);
      else expect(bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)).toBe(true);
    }
  });

  it('renames, shares and revokes a link', async () => {
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.fill('#title-input', 'Lighthouse at dusk');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#track-title').textContent()).resolves.toBe('Lighthouse at dusk');
    // The browser tab names the track.
    await page.waitForFunction(() => document.title === 'Lighthouse at dusk · TextTune');

    await page.getByRole('button', { name: 'Create link' }).click();
    const link = await page.locator('.shares input').first().inputValue();
    expect(link).toMatch(new RegExp(`^${base}/s/.+`));
    const visitor = await product.browser.context.newPage();
    await visitor.goto(link);
    await visitor.getByRole('heading', { name: 'Lighthouse at dusk' }).waitFor();
    await visitor.locator('tt-waveform-player .wave-host.ready').waitFor();
    await visitor.screenshot({ path: path.join(ARTIFACTS, 'shared.png'), fullPage: true });
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No links yet.').waitFor();
    await visitor.reload();
    await visitor.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await visitor.close();
  });

  it('regenerates with the same seed as a new track', async () => {
    const seed = await page.locator('dt:text("Seed") + dd').textContent();
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('button', { name: 'Regenerate (same seed)' }).click();
    await page.waitForURL((url) => /\/tracks\/[0-9a-f-]+$/.test(url.pathname) && url.toString() !== firstTrackUrl, { timeout: 30_000 });
    await page.locator('dt:text("Seed") + dd').waitFor();
    expect(await page.locator('dt:text("Seed") + dd').textContent()).toBe(seed);
  });

  it('lists the tracks in the library, searches, plays in the global player and deletes', async () => {
    await page.getByRole('link', { name: 'Library', exact: true }).first().click();
    await page.waitForURL(/\/library$/);
    const items = page.locator('[data-testid="library-list"] > li');
    await expect(items.first().waitFor()).resolves.toBeUndefined();
    expect(await items.count()).toBe(2);
    expect(await items.first().locator('a.title').textContent()).not.toBe('Lighthouse at dusk'); // newest first: the regenerated one
    await page.locator('[data-testid="library-list"] tt-peaks-bars rect').first().waitFor();
    await shot('library');

    // "Play" queues the library view, in the one global player (no audio element per row).
    expect(await page.locator('[data-testid="library-list"] audio').count()).toBe(0);
    const [firstId, secondId] = [await items.first().getAttribute('data-track-id'), await items.nth(1).getAttribute('data-track-id')];
    await items.first().getByRole('button', { name: /^Play / }).click();
    await page.waitForFunction(([selector, id]) => {
      const audio = document.querySelector(selector) as HTMLAudioElement;
      return audio.src.includes(id!) && audio.currentTime > 0.2;
    }, [AUDIO, firstId] as const);
    await items.nth(1).getByRole('button', { name: /^Play / }).click();
    await page.waitForFunction(([selector, id]) => {
      const audio = document.querySelector(selector) as HTMLAudioElement;
      return audio.src.includes(id!) && !audio.paused; // one plays at a time
    }, [AUDIO, secondId] as const);
    await items.first().getByRole('button', { name: /^Play / }).waitFor();
    await items.nth(1).getByRole('button', { name: /^Pause / }).click();

    await page.fill('#library-search', 'Lighthouse at dusk');
    await page.waitForURL(/q=Lighthouse/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="library-list"] > li').length === 1);
    await page.fill('#library-search', 'no such music anywhere');
    await page.getByText('Nothing matches').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="library-list"] > li').length === 2);

    const doomed = await items.first().getAttribute('data-track-id');
    await items.first().getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="library-list"] > li').length === 1);
    expect((await page.request.get(`${base}/v1/tracks/${doomed}`)).status()).toBe(404);
    await page.reload();
    await page.locator('[data-testid="library-list"] > li').first().waitFor();
    expect(await items.count()).toBe(1);
  });

  it('switches to Korean, remembers it, and switches back', async () => {
    await page.selectOption('[data-testid="language"]', 'ko');
    await page.getByRole('link', { name: '라이브러리', exact: true }).first().waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await page.reload();
    await page.getByRole('heading', { name: '라이브러리', level: 1 }).waitFor();
    expect(await page.title()).toBe('라이브러리 · TextTune');
    await shot('library-ko');
    await page.goto(`${base}/create`);
    await page.getByRole('heading', { name: '트랙 만들기' }).waitFor();
    await shot('generate-ko');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: '만들기', exact: true }).first().waitFor();
    await shot('landing-ko');
    await page.selectOption('[data-testid="language"]', 'en');
    await page.getByRole('link', { name: 'Library', exact: true }).first().waitFor();
  });

  it('signs out, and an admin sees the engines', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The queue was this account's: it goes with it.
    await page.locator('[data-testid="player-bar"]').waitFor({ state: 'detached' });
    await page.goto(`${base}/library`);
    await page.waitForURL(/\/signin\?returnUrl=%2Flibrary/);
    await page.fill('#email', 'admin@example.com');
    await page.getByRole('button', { name: 'Continue with email' }).click();
    await page.waitForURL(/\/library$/);
    await page.getByRole('heading', { name: 'Your library is empty' }).waitFor();
    await shot('library-empty');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.locator('code', { hasText: 'offline' }).first().waitFor();
    await page.getByText('ready', { exact: true }).first().waitFor();
    expect(await page.locator('[data-testid="queue-waiting"]').textContent()).toMatch(/^\d+$/);
    await page.getByText('No failures.').waitFor();
    await shot('admin');
  });

  it('lets an admin manage accounts, and records it in the audit log', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(/\/admin\?tab=users$/);
    const users = page.locator('[data-testid="admin-users"] tbody tr');
    // the guest from before, and the admin (a failure lists the rows there were)
    await users.nth(1).waitFor({ timeout: 10_000 }).catch(() => undefined);
    expect(await users.allTextContents()).toHaveLength(2);
    const guest = page.locator('[data-testid="admin-users"] tbody tr', { hasText: 'Guest' });
    await guest.getByRole('button', { name: /^Change the limits/ }).click();
    await guest.getByLabel('Seconds a day (0: unlimited)').fill('600');
    await guest.getByRole('button', { name: 'Save' }).click();
    await guest.getByText('600 s a day*').waitFor();
    await shot('admin-users');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('[data-testid="audit-log"] tbody tr', { hasText: 'Limits changed' }).waitFor();
    expect(await page.locator('[data-testid="audit-log"] tbody tr').first().textContent()).toContain('admin@example.com');
    await shot('admin-audit');
  });

  it('follows a job by polling when the event stream is unavailable, and shows takes side by side', async () => {
    await page.route('**/v1/generations/*/events', (route) => route.abort());
    try {
      await page.goto(`${base}/create`);
      await page.fill('#prompt', '웅장한 오케스트라 트레일러, D 단조');
      await page.fill('#duration', '8');
      await page.locator('.segmented label', { hasText: '3' }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.locator('[data-testid="progress"] [role="progressbar"]').waitFor();
      await shot('generate-progress');
      await page.waitForURL(/\/tracks\/[0-9a-f-]+$/, { timeout: 30_000 });
    } finally {
      await page.unroute('**/v1/generations/*/events');
    }
    const takes = page.locator('.takes > li');
    await takes.nth(2).waitFor();
    expect(await takes.count()).toBe(3);
    expect(await page.locator('.take.current a').textContent()).toBe('Take 1');
    await page.locator('.takes tt-peaks-bars rect').first().waitFor();
    await shot('track-takes');
    // The dark palette (prefers-color-scheme).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.locator('tt-waveform-player .wave-host.ready').waitFor();
    await shot('track-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a phone’s width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(firstTrackUrl.replace(/\/tracks\/.*/, '/create'));
    await page.getByRole('heading', { name: 'Create a track' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('generate-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
