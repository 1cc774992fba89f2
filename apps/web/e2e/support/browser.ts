import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ROOT } from './server';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every page land here (git-ignored); one of each is kept in docs/screenshots/. */
export const ARTIFACTS = path.join(ROOT, 'test-results', 'web-e2e');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium's switches for every suite: no sandbox (root in CI), no GPU, no background traffic,
 * and text drawn the same way on every machine with the same fonts (no hinting, no subpixel
 * antialiasing), so screenshots compare pixel for pixel.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
  '--font-render-hinting=none',
  '--disable-lcd-text',
  '--force-color-profile=srgb',
  '--hide-scrollbars',
];

/**
 * Headless Chromium with a fresh profile. `bypassCSP` lets a test's own instruments run
 * inside the page (support/audio-tap loads an AudioWorklet from a blob: URL, which the
 * product's `script-src 'self'` refuses).
 */
export async function launchBrowser(options: { locale?: string; bypassCSP?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.`);
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'texttune-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: options.locale ?? 'en-US',
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    bypassCSP: options.bypassCSP === true,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
