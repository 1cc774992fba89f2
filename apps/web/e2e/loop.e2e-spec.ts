/**
 * @jest-environment node
 */
// Gapless loops in Chromium against the built product: a seamless loop rendered by the
// offline engine, repeated on its track page, is recorded as the page sounds (support/
// audio-tap) and must have no silence at its seams; `<audio loop>` leaves 28–40 ms there
// (bench/loop-gap), which this recording hears, as the element is recorded too. Pause,
// mute and seek act on what sounds, and the element stays the clock the views follow.
import type { Page } from 'playwright-core';
import { installAudioTap, startRecording, stopRecording, type Heard } from './support/audio-tap';
import { generate, signInWithEmail, useProduct } from './support/session';

jest.setTimeout(120_000);

const AUDIO = 'audio[data-testid="player-audio"]';
const LOOP_SECONDS = 3;
const session = useProduct({ MAX_ACTIVE_JOBS_PER_USER: '10' }, { bypassCSP: true });
let page: Page;
let trackId = '';

const listen = async (seconds: number): Promise<Heard[]> => {
  await startRecording(page);
  await page.waitForTimeout(seconds * 1000);
  return stopRecording(page);
};
const element = () => page.$eval(AUDIO, (a) => ({ time: (a as HTMLAudioElement).currentTime, paused: (a as HTMLAudioElement).paused, muted: (a as HTMLAudioElement).muted, loop: (a as HTMLAudioElement).loop }));

describe('a seamless loop in the player', () => {
  beforeAll(async () => {
    page = session.page;
    await installAudioTap(page);
    await signInWithEmail(page, session.base, 'looper@example.com');
    const job = await generate(page, session.base, { prompt: 'lo-fi hip hop loop with soft keys, 90 bpm', duration: LOOP_SECONDS, loop: true });
    trackId = job.track_ids[0];
  });

  it('repeats on its track page without a gap at the seam', async () => {
    await page.goto(`${session.base}/tracks/${trackId}`);
    await page.locator('tt-waveform-player').getByTestId('loop-badge').waitFor();
    await page.locator('tt-waveform-player button.play').click();
    // The element plays on as the clock, muted: the decoded loop sounds in its place.
    await page.waitForFunction((selector) => {
      const a = document.querySelector(selector) as HTMLAudioElement;
      return !a.paused && a.muted && a.loop && a.currentTime > 0.2;
    }, AUDIO);
    const heard = await listen(LOOP_SECONDS * 3 + 0.5);
    if (process.env.E2E_DEBUG) console.log(JSON.stringify(heard));
    // One context sounds (the player's loop), for the whole time, through three seams…
    expect(heard[0].seconds).toBeGreaterThan(LOOP_SECONDS * 3);
    expect(heard[0].peak).toBeGreaterThan(0.05);
    // …with no run of silence anywhere in it; the element's own output is silent.
    expect({ gaps: heard[0].gaps, longestGapMs: heard[0].longestGapMs }).toEqual({ gaps: 0, longestGapMs: expect.any(Number) });
    expect(heard[0].longestGapMs).toBeLessThan(1);
    expect(heard.slice(1).every((h) => h.peak === 0)).toBe(true);
    // The element went round the loop with it and is still the clock the views read.
    const now = await element();
    expect(now.paused).toBe(false);
    expect(now.time).toBeLessThan(LOOP_SECONDS + 0.1);
    const shown = await page.locator('tt-waveform-player .time').textContent();
    expect(shown).toMatch(/^0:0\d \/ 0:0[34]$/);
  });

  it('keeps pause, mute and seek working on the loop', async () => {
    const bar = page.getByTestId('player-bar');
    await bar.getByRole('button', { name: /^Pause/ }).click();
    await page.waitForTimeout(100);
    expect((await listen(0.6)).every((h) => h.peak === 0)).toBe(true);
    expect((await element()).paused).toBe(true);

    await bar.getByRole('button', { name: /^Play/ }).click();
    await page.waitForFunction((selector) => !(document.querySelector(selector) as HTMLAudioElement).paused, AUDIO);
    await page.waitForTimeout(200);
    expect((await listen(0.6))[0].peak).toBeGreaterThan(0.05);

    const mute = bar.getByRole('button', { name: 'Mute' });
    await mute.click();
    await page.waitForTimeout(200);
    expect((await listen(0.6)).every((h) => h.peak < 1e-3)).toBe(true);
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await mute.click();
    await page.waitForTimeout(200);
    expect((await listen(0.6))[0].peak).toBeGreaterThan(0.05);

    // A seek moves the element, and the sound goes on from there without a gap.
    await page.$eval(AUDIO, (a, at) => ((a as HTMLAudioElement).currentTime = at), LOOP_SECONDS * 0.8);
    const afterSeek = await listen(LOOP_SECONDS);
    expect(afterSeek[0].seconds).toBeGreaterThan(LOOP_SECONDS * 0.9);
    expect(afterSeek[0].gaps).toBe(0);
    expect((await element()).muted).toBe(true);
  });
});
