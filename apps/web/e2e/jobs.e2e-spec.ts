/**
 * @jest-environment node
 */
// Jobs in the browser: the progress of a job just started stays in view, the Library shows
// the user's unfinished jobs live and turns each into its takes, and a signed-out visit
// makes no failing request. The built client and API (offline engine, in-process queue,
// one worker), driven in Chromium.
import path from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { ARTIFACTS } from './support/browser';
import { useProduct } from './support/session';

jest.setTimeout(90_000);

const product = useProduct({ MAX_DURATION_SECONDS: '30', MAX_ACTIVE_JOBS_PER_USER: '10', WORKER_CONCURRENCY: '1' }, { debug: !!process.env.E2E_DEBUG });
let page: Page;
let base: string;
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

/** Jobs that hold the one worker (the longest, highest-quality takes this server makes), so the next job waits its turn. */
async function occupyWorker(count = 2): Promise<string[]> {
  return page.evaluate(async (n) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch('/v1/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `long orchestral suite ${i}`, duration: 30, quality: 'high', variations: 4 }) });
      if (res.status !== 202) throw new Error(`could not queue a blocking job: ${res.status} ${await res.text()}`);
      ids.push(((await res.json()) as { job_id: string }).job_id);
    }
    return ids;
  }, count);
}

/** Cancels the user's unfinished jobs (queued ones at once, running ones within about 2 s). */
async function cancelAll(ids?: string[]): Promise<void> {
  await page.evaluate(async (only) => {
    const list = (await (await fetch('/v1/generations?status=queued,running&limit=100')).json()) as { items: { job_id: string }[] };
    for (const job of list.items) if (!only || only.includes(job.job_id)) await fetch(`/v1/generations/${job.job_id}/cancel`, { method: 'POST' });
  }, ids ?? null);
}

beforeAll(() => {
  ({ page, base } = product);
  page.on('console', (message: ConsoleMessage) => message.type() === 'error' && consoleErrors.push(`${message.text()} ${message.location().url}`));
});

describe('jobs in the browser', () => {
  it('loads signed-out pages without a failing request (no console error)', async () => {
    const failed: string[] = [];
    const listener = (response: { status(): number; url(): string }) => response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`);
    page.on('response', listener);
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goto(`${base}/library`);
    await page.waitForURL(/\/signin\?returnUrl=/);
    await page.getByRole('button', { name: 'Continue as guest' }).waitFor();
    page.off('response', listener);
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`keeps the progress in view after Create, at ${viewport.width}×${viewport.height}`, async () => {
      await page.setViewportSize(viewport);
      if (!page.url().includes('/create')) {
        await page.goto(`${base}/signin?returnUrl=%2Fcreate`);
        await page.getByRole('button', { name: 'Continue as guest' }).click();
        await page.waitForURL(/\/create/);
      }
      const blockers = await occupyWorker();
      try {
        // The page as a person finds it: loaded and drawn, the limits known.
        await page.goto(`${base}/create`);
        await page.getByText('up to 30 s on this server').waitFor();
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        await page.fill('#prompt', `harbour bells at dawn, ${viewport.width} px`);
        await page.fill('#duration', '4');
        // Create is pressed as a person reaches it: the form scrolled down to the button.
        const create = page.getByRole('button', { name: 'Create', exact: true });
        await create.scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, 10_000));
        // When the press lands in the page, and when the card is first in the window (page clock).
        await page.evaluate(() => {
          /** Inside the window, and not covered by the sticky header or the player bar at its top and bottom edges. */
          const seenWhole = (card: Element): boolean => {
            const box = card.getBoundingClientRect();
            if (box.height === 0 || box.top < 0 || box.bottom > window.innerHeight || box.left < 0 || box.right > window.innerWidth) return false;
            const x = box.left + box.width / 2;
            return [box.top + 2, box.bottom - 2].every((y) => card.contains(document.elementFromPoint(x, y)));
          };
          (window as unknown as { __seenWhole: (card: Element) => boolean }).__seenWhole = seenWhole;
          const marks: Record<string, number> = {};
          (window as unknown as { __marks: Record<string, number> }).__marks = marks;
          document.addEventListener('click', () => (marks['pressed'] ??= performance.now()), { capture: true });
          const check = (): void => {
            const card = document.querySelector('[data-testid="progress"]');
            if (!card) {
              requestAnimationFrame(check);
              return;
            }
            marks['shown'] ??= performance.now();
            if (seenWhole(card)) marks['inView'] ??= performance.now();
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        const pressed = Date.now();
        // Measured from the press landing in the page (the page's clock), not from Playwright's own checks before it clicks.
        await create.click();
        await page.waitForFunction(
          () => {
            const card = document.querySelector('[data-testid="progress"]');
            return !!card && (window as unknown as { __seenWhole: (card: Element) => boolean }).__seenWhole(card);
          },
          undefined,
          { timeout: 5000, polling: 50 },
        );
        const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
        if (process.env.E2E_DEBUG) console.log(JSON.stringify({ viewport, total: Date.now() - pressed, shown: marks['shown'] - marks['pressed'], inView: marks['inView'] - marks['pressed'] }));
        expect(marks['inView'] - marks['pressed']).toBeLessThan(1000);
        await page.waitForURL(/\/create\?job=/);
        // …and it stays in view once the address names the job.
        await page.waitForTimeout(300);
        expect(await page.evaluate(() => (window as unknown as { __seenWhole: (card: Element) => boolean }).__seenWhole(document.querySelector('[data-testid="progress"]')!))).toBe(true);
        await expect(page.getByTestId('progress').locator('h2').textContent()).resolves.toMatch(/Waiting in the queue|Composing/);
        await shot(`progress-in-view-${viewport.width}`);
      } finally {
        await cancelAll();
        await page.setViewportSize({ width: 1280, height: 860 });
      }
      void blockers;
    });
  }

  it('shows a job started on Create as a live card in the Library, which becomes a playable track without a reload', async () => {
    await page.goto(`${base}/create`);
    const blockers = await occupyWorker();
    const prompt = 'misty harbour waltz, 3/4, 90 bpm';
    await page.fill('#prompt', prompt);
    await page.fill('#duration', '3');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/create\?job=/);
    const jobId = new URL(page.url()).searchParams.get('job')!;
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));

    await page.getByRole('navigation').getByRole('link', { name: 'Library' }).click();
    await page.waitForURL(/\/library$/);
    const card = page.locator(`[data-testid="job-card"][data-job-id="${jobId}"]`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(prompt);
    await expect(card.textContent()).resolves.toMatch(/Number \d+ in the queue/);
    await page.getByTestId('jobs-indicator').waitFor();
    await shot('library-generating');

    // The worker frees up: the card goes live, then gives way to the track.
    await cancelAll(blockers);
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    const row = page.locator('[data-testid="library-list"] li', { hasText: prompt });
    await row.waitFor();
    await page.getByText(`“${prompt}” is ready in your Library.`).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(await page.getByTestId('jobs-indicator').count()).toBe(0);

    await row.getByRole('button', { name: /^Play / }).click();
    await page.waitForFunction(() => (document.querySelector('audio[data-testid="player-audio"]') as HTMLAudioElement).currentTime > 0.2);
    await shot('library-generated');
  });
});
