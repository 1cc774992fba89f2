/**
 * @jest-environment node
 */
// Playlists and the global player, in Chromium against the built product: a playlist of
// three tracks built from the library, reordered by dragging and with the keyboard, played
// through; next, previous, shuffle and repeat-one; playback that goes on across pages and
// a queue that survives a reload; a shared playlist; the account pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { PlaylistResponse } from '@texttune/contracts';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './support/browser';
import { generate, signInWithEmail, useProduct } from './support/session';

jest.setTimeout(60_000);

const AUDIO = 'audio[data-testid="player-audio"]';
const TRACK_SECONDS = 10;
const PROMPTS = ['calm harbor piano at night', 'bright synth pop with claps, 120 bpm', 'slow cello lament in D minor'];

let page: Page;
let base: string;
/** title -> id, of the three tracks */
const ids = new Map<string, string>();
let playlistId = '';
/** Hugging Face's whoami, as the API asks it when a user saves a token: one token is known. */
let hub: Server;
const HF_TOKEN = 'hf_e2eListenerToken7x4Q';

/** The viewport, where the player is docked (a full-page picture would show it mid-page). */
const shot = async (name: string, target: Page = page) => {
  // Messages from earlier steps would cover what the picture is of.
  for (const close of await target.locator('.notice .close').all()) await close.click().catch(() => undefined);
  await target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
};
const bar = () => page.locator('[data-testid="player-bar"]');
const nowPlaying = async () => (await page.locator('[data-testid="player-title"]').textContent())?.trim();
const audio = () => page.$eval(AUDIO, (a) => ({ src: (a as HTMLAudioElement).src, time: (a as HTMLAudioElement).currentTime, paused: (a as HTMLAudioElement).paused }));
const titleOf = (id: string) => [...ids].find(([, v]) => v === id)![0];
const playlistOrder = async () => ((await (await page.request.get(`${base}/v1/playlists/${playlistId}`)).json()) as PlaylistResponse).tracks.map((t) => titleOf(t.id));
/** `read()` once it equals `expected` (the server catches up with the page), or its last value. */
const settled = async <T>(read: () => Promise<T>, expected: T): Promise<T> => {
  let value = await read();
  for (let i = 0; i < 40 && JSON.stringify(value) !== JSON.stringify(expected); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
};
const rows = () => page.locator('[data-testid="playlist-tracks"] > li');
const shownOrder = async () => (await rows().locator('a.title').allTextContents()).map((t) => t.trim());
/** Waits until the current track is `title` and its audio is advancing. */
const waitPlaying = async (title: string) => {
  await page.locator('[data-testid="player-title"]', { hasText: title }).waitFor();
  await page.waitForFunction(([selector, id]) => {
    const a = document.querySelector(selector) as HTMLAudioElement;
    return a.src.includes(id) && !a.paused && a.currentTime > 0.1;
  }, [AUDIO, ids.get(title)!] as const);
};

// Hugging Face's stand-in listens before the product starts: the product is told where it is.
beforeAll(async () => {
  hub = createServer((req, res) => {
    const known = req.url === '/api/whoami-v2' && req.headers.authorization === `Bearer ${HF_TOKEN}`;
    res.writeHead(known ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(known ? { type: 'user', name: 'listener-hf' } : { error: 'Invalid credentials in Authorization header' }));
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => hub?.close(resolve)));

const product = useProduct(() => ({
  MAX_DURATION_SECONDS: '20',
  MAX_ACTIVE_JOBS_PER_USER: '10',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  HF_HUB_URL: `http://127.0.0.1:${(hub.address() as AddressInfo).port}`,
}));
beforeAll(() => {
  ({ page, base } = product);
});

describe('playlists and the global player', () => {
  it('makes three tracks', async () => {
    await signInWithEmail(page, base, 'listener@example.com');
    // Through the API with the browser's session: the create page is tested elsewhere.
    for (const prompt of PROMPTS) {
      const job = await generate(page, base, { prompt, duration: TRACK_SECONDS });
      const track = (await (await page.request.get(`${base}/v1/tracks/${job.track_ids[0]}`)).json()) as { id: string; title: string };
      ids.set(track.title, track.id);
    }
    expect(ids.size).toBe(3);
  });

  it('builds a playlist from the library, starting with “New playlist…”', async () => {
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    const items = page.locator('[data-testid="library-list"] > li');
    await items.nth(2).waitFor();
    const dialog = page.locator('[data-testid="add-to-playlist"]');
    for (let i = 0; i < 3; i++) {
      await items.nth(i).getByRole('button', { name: /^Add .* to a playlist$/ }).click();
      await dialog.waitFor();
      if (i === 0) {
        await dialog.getByLabel('New playlist').waitFor(); // no playlists yet: straight to a new one
        await dialog.getByLabel('New playlist').fill('Road trip');
        await dialog.getByRole('button', { name: 'Create and add' }).click();
      } else {
        await dialog.getByRole('button', { name: /^Road trip/ }).click();
      }
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText(/was added to Road trip\./).first().waitFor();
    }
    await page.getByRole('link', { name: 'Playlists', exact: true }).click();
    const card = page.locator('[data-testid="playlists"] > li', { hasText: 'Road trip' });
    await card.getByText('3 tracks').waitFor();
    playlistId = (await card.getAttribute('data-playlist-id'))!;
    await shot('playlists');
    await card.getByRole('link', { name: 'Road trip' }).click();
    await page.waitForURL(new RegExp(`/playlists/${playlistId}$`));
    await rows().nth(2).waitFor();
    // The library is newest first, so the playlist holds the tracks in that order.
    expect(await shownOrder()).toEqual([...ids.keys()].reverse());
  });

  it('reorders by dragging and with the keyboard, saving the whole order each time', async () => {
    const [first, second, third] = await shownOrder();
    // Drag the first track onto the last place.
    await rows().nth(0).dragTo(rows().nth(2));
    await page.waitForFunction((t) => document.querySelector('[data-testid="playlist-tracks"] > li:last-child a.title')?.textContent?.trim() === t, first);
    expect(await settled(playlistOrder, [second, third, first])).toEqual([second, third, first]);
    // Move the (now) second track up with its button, keeping the focus on the moved track.
    await page.getByRole('button', { name: `Move ${third} up` }).click();
    expect(await settled(shownOrder, [third, second, first])).toEqual([third, second, first]);
    expect(await settled(playlistOrder, [third, second, first])).toEqual([third, second, first]);
    // At the top its up arrow is disabled: the focus is on its down arrow.
    await page.waitForFunction((label) => document.activeElement?.getAttribute('aria-label') === label, `Move ${third} down`);
    await page.getByRole('status').filter({ hasText: `“${third}” is now number 1 of 3.` }).waitFor({ state: 'attached' });
  });

  it('plays all, with next and previous', async () => {
    const order = await shownOrder();
    await page.getByRole('button', { name: 'Play all' }).click();
    await bar().waitFor();
    await waitPlaying(order[0]);
    expect(await bar().locator('.from').textContent()).toContain('Road trip');
    await shot('playlist');
    await bar().getByRole('button', { name: 'Next track' }).click();
    await waitPlaying(order[1]);
    await bar().getByRole('button', { name: 'Previous track' }).click(); // within 3 s: the track before
    await waitPlaying(order[0]);
    // The queue shows what plays next, in order.
    await bar().getByRole('button', { name: 'Queue', exact: true }).click();
    const upcoming = () => page.locator('#player-queue li .jump').allTextContents();
    expect((await upcoming()).map((t) => t.trim())).toEqual([order[1], order[2]]);
    // The OS media controls know what plays.
    expect(await page.evaluate(() => navigator.mediaSession?.metadata?.title)).toBe(order[0]);
    expect(await page.evaluate(() => navigator.mediaSession?.metadata?.album)).toBe('Road trip');
  });

  it('shuffles what follows, and puts the order back', async () => {
    const order = await shownOrder();
    await bar().getByRole('button', { name: 'Shuffle', exact: true }).click();
    await bar().getByRole('button', { name: 'Shuffle', exact: true, pressed: true }).waitFor();
    const shuffledNext = (await page.locator('#player-queue li .jump').allTextContents()).map((t) => t.trim());
    expect([...shuffledNext].sort()).toEqual([order[1], order[2]].sort()); // the current track stays, the rest in some order
    await shot('player-queue');
    await bar().getByRole('button', { name: 'Next track' }).click();
    await waitPlaying(shuffledNext[0]);
    await bar().getByRole('button', { name: 'Shuffle', exact: true }).click();
    await bar().getByRole('button', { name: 'Shuffle', exact: true, pressed: false }).waitFor();
    const current = (await nowPlaying())!;
    const after = order.slice(order.indexOf(current) + 1);
    expect((await page.locator('#player-queue li .jump').allTextContents()).map((t) => t.trim())).toEqual(after);
    await bar().getByRole('button', { name: 'Queue', exact: true }).click();
  });

  it('repeats one track', async () => {
    const repeat = bar().getByTestId('repeat');
    await repeat.click();
    await bar().getByRole('button', { name: 'Repeat: all' }).waitFor();
    await repeat.click();
    await bar().getByRole('button', { name: 'Repeat: this track', pressed: true }).waitFor();
    const title = (await nowPlaying())!;
    const before = await audio();
    // Near the end with the keyboard (the waveform is a slider; Page Up is a quarter)…
    await bar().getByRole('slider', { name: /^Position in/ }).focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageUp');
    await page.waitForFunction((selector) => (document.querySelector(selector) as HTMLAudioElement).currentTime > 8, AUDIO);
    // …and it starts again: the same track, from the top.
    await page.waitForFunction((selector) => {
      const a = document.querySelector(selector) as HTMLAudioElement;
      return a.currentTime < 2 && !a.paused;
    }, AUDIO);
    expect(await nowPlaying()).toBe(title);
    expect((await audio()).src).toBe(before.src);
    await repeat.click();
    await bar().getByRole('button', { name: 'Repeat: off', pressed: false }).waitFor();
  });

  it('keeps playing while moving to another page: the same audio element goes on', async () => {
    await bar().getByRole('slider', { name: /^Position in/ }).focus();
    await page.keyboard.press('Home');
    const start = await page.evaluate((selector) => {
      const a = document.querySelector(selector) as HTMLAudioElement & { __kept?: boolean };
      a.__kept = true;
      return a.currentTime;
    }, AUDIO);
    const title = await nowPlaying();
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.waitForURL(/\/library$/);
    await page.locator('[data-testid="library-list"] > li').first().waitFor();
    await page.waitForFunction(
      ([selector, from]) => {
        const a = document.querySelector(selector) as HTMLAudioElement & { __kept?: boolean };
        return a.__kept === true && !a.paused && a.currentTime > from + 1;
      },
      [AUDIO, start] as const,
    );
    expect(await page.locator('audio').count()).toBe(1);
    expect(await nowPlaying()).toBe(title);
    // The library row of the playing track shows it.
    await page.locator(`[data-track-id="${ids.get(title!)}"]`).getByRole('button', { name: /^Pause / }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Create' }).click();
    await page.waitForURL(/\/create$/);
    expect(await page.evaluate((selector) => (document.querySelector(selector) as HTMLAudioElement & { __kept?: boolean }).__kept, AUDIO)).toBe(true);
    expect((await audio()).paused).toBe(false);
  });

  it('brings the queue and the place in it back after a reload', async () => {
    const title = await nowPlaying();
    await bar().getByRole('button', { name: /^Pause / }).click();
    const at = (await audio()).time;
    const upcoming = async () => (await page.locator('#player-queue li .jump').allTextContents()).map((t) => t.trim());
    const before = await upcoming();
    await page.reload();
    await bar().waitFor();
    expect(await nowPlaying()).toBe(title);
    await page.waitForFunction(([selector, t]) => Math.abs((document.querySelector(selector) as HTMLAudioElement).currentTime - t) < 0.5, [AUDIO, at] as const);
    expect((await audio()).paused).toBe(true); // restored, not started by itself
    expect(await bar().locator('.from').textContent()).toContain('Road trip');
    expect(await upcoming()).toEqual(before);
    await bar().getByRole('button', { name: /^Play / }).click();
    await waitPlaying(title!);
    await bar().getByRole('button', { name: /^Pause / }).click();
  });

  it('shares the playlist: a public page that plays the whole list, and offers downloads when allowed', async () => {
    await page.goto(`${base}/playlists/${playlistId}`);
    await page.getByTestId('share-allow-download').check();
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.locator('.shares').getByText('download allowed').waitFor();
    const link = await page.locator('.shares input').first().inputValue();
    expect(link).toMatch(new RegExp(`^${base}/p/.+`));
    const visitor = await product.browser.context.newPage();
    visitor.on('pageerror', (error) => product.pageErrors.push(error.message));
    await visitor.goto(link);
    await visitor.getByRole('heading', { name: 'Road trip' }).waitFor();
    expect(await visitor.locator('[data-testid="shared-playlist-tracks"] > li').count()).toBe(3);
    // Each track downloads, as an attachment, through the link.
    const firstTitle = (await visitor.locator('[data-testid="shared-playlist-tracks"] .title').first().textContent())!.trim();
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.getByRole('link', { name: `Download ${firstTitle}` }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.wav$/);
    expect(await visitor.getByTestId('shared-download').count()).toBe(3);
    await visitor.getByRole('button', { name: 'Play all' }).click();
    await visitor.waitForFunction((selector) => {
      const a = document.querySelector(selector) as HTMLAudioElement;
      return a.src.includes('/v1/shared-playlists/') && a.currentTime > 0.2;
    }, AUDIO);
    await visitor.locator('[data-testid="shared-playlist-tracks"] tt-peaks-bars rect').first().waitFor();
    await shot('shared-playlist', visitor);
    await visitor.setViewportSize({ width: 390, height: 844 });
    await shot('shared-playlist-phone', visitor);
    await visitor.close();
  });

  it('creates an API token, shown once', async () => {
    await page.goto(`${base}/tokens`);
    await page.getByLabel('Name').fill('nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('#token-secret').inputValue();
    expect(secret).toMatch(/^ttk_/);
    // It works as a bearer token, with this account's permissions.
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    await shot('tokens');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('[data-testid="tokens"] tbody tr').count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
  });

  it('sets, replaces and removes the user’s own Hugging Face token on the settings page', async () => {
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.waitForURL(/\/settings$/);
    await page.locator('[data-testid="limit-duration"]', { hasText: '20 s' }).waitFor();
    const section = page.locator('[data-testid="hf-token"]');
    const status = section.getByTestId('hf-status');
    await status.getByText('No token set').waitFor();
    expect(await section.getByLabel('Token').getAttribute('type')).toBe('password');
    // A token Hugging Face does not know: refused at the field, nothing saved.
    await section.getByLabel('Token').fill('hf_notARealToken');
    await section.getByRole('button', { name: 'Save token' }).click();
    await section.locator('#hf-error', { hasText: 'Hugging Face does not accept this token' }).waitFor();
    await status.getByText('No token set').waitFor();
    // The real one: verified, shown by its end and its account, never echoed back.
    await section.getByLabel('Token').fill(HF_TOKEN);
    await section.getByRole('button', { name: 'Save token' }).click();
    await status.getByText('ends with …7x4Q').waitFor();
    await status.getByText('Hugging Face account: listener-hf').waitFor();
    expect(await section.getByLabel('New token').inputValue()).toBe('');
    expect(await page.content()).not.toContain(HF_TOKEN);
    const api = (await (await page.request.get(`${base}/v1/me/hf-token`)).text()) as string;
    expect(api).not.toContain(HF_TOKEN);
    await shot('settings');
    await section.getByRole('button', { name: 'Remove token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove token' }).click();
    await status.getByText('No token set').waitFor();
  });

  it('fits a phone’s width with a slim player that expands, in Korean', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the language is in the header's menu.
    await page.getByTestId('menu-toggle').click();
    await page.selectOption('[data-testid="language"]', 'ko');
    await page.goto(`${base}/playlists/${playlistId}`);
    await page.getByRole('heading', { name: 'Road trip' }).waitFor();
    // The header is one row.
    expect((await page.locator('header.site-header').boundingBox())!.height).toBeLessThanOrEqual(64);
    await page.getByRole('button', { name: '모두 재생' }).click();
    await bar().getByRole('button', { name: '다음 트랙' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Slim: one row, shuffle and repeat out of sight until it expands.
    expect((await bar().boundingBox())!.height).toBeLessThanOrEqual(64);
    await expect(bar().getByRole('button', { name: '셔플' }).isVisible()).resolves.toBe(false);
    await bar().getByTestId('player-expand').click();
    await bar().getByRole('button', { name: '셔플' }).click();
    await bar().getByRole('button', { name: '셔플', pressed: true }).waitFor();
    await bar().getByRole('button', { name: '셔플' }).click();
    await bar().getByTestId('repeat').waitFor();
    await bar().getByRole('button', { name: '재생 대기열', exact: true }).click();
    await page.locator('#player-queue li').first().waitFor();
    await shot('player-phone-ko');
    await bar().getByRole('button', { name: '재생 대기열', exact: true }).click();
    await bar().getByTestId('player-expand').click();
    await page.getByTestId('menu-toggle').click();
    await page.selectOption('[data-testid="language"]', 'en');
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
