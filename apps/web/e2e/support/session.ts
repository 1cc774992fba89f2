import type { GenerationResponse } from '@texttune/contracts';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser';
import { buildProduct, startProduct, type RunningProduct } from './server';

/** The built product on a fresh database, one Chromium tab on it, and the tab's uncaught errors. */
export interface ProductSession {
  base: string;
  page: Page;
  server: RunningProduct;
  browser: Browser;
  /** uncaught exceptions in the client: each test ends with none */
  pageErrors: string[];
}

type Env = Record<string, string> | (() => Record<string, string>);

/**
 * Registers the suite's hooks that build and start the product with `env` (or what
 * `env()` gives once the hooks registered before this one ran) on a fresh database, and
 * stop it after all. The returned object is filled in once `beforeAll` ran.
 */
export function useServer(env: Env, options: { debug?: boolean } = {}): { server: RunningProduct; base: string } {
  const running = {} as { server: RunningProduct; base: string };
  let build: Awaited<ReturnType<typeof buildProduct>> | undefined;
  beforeAll(async () => {
    build = await buildProduct();
    running.server = await startProduct(build.entry, typeof env === 'function' ? env() : env);
    running.base = running.server.baseUrl;
  }, 300_000);
  afterAll(async () => {
    if (options.debug) console.log(running.server?.output().slice(-6000));
    await running.server?.stop();
    await build?.cleanup();
  }, 60_000);
  return running;
}

/**
 * useServer, and a Chromium tab on it: after each test the client must have thrown
 * nothing; after all, the browser closes too.
 */
export function useProduct(env: Env, options: { locale?: string; bypassCSP?: boolean; debug?: boolean } = {}): ProductSession {
  const running = useServer(env, options);
  const session = { pageErrors: [] as string[] } as ProductSession;
  beforeAll(async () => {
    session.server = running.server;
    session.base = running.base;
    session.browser = await launchBrowser({ locale: options.locale ?? 'en-US', bypassCSP: options.bypassCSP });
    session.page = session.browser.context.pages()[0] ?? (await session.browser.context.newPage());
    session.page.on('pageerror', (error) => session.pageErrors.push(error.message));
  }, 60_000);
  afterAll(() => session.browser?.close(), 60_000);
  afterEach(() => {
    // An uncaught exception in the client fails the step it happened in.
    expect(session.pageErrors).toEqual([]);
  });
  return session;
}

/** Signs in with an email (open auth mode) on the sign-in page and waits for the Create page. */
export async function signInWithEmail(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.fill('#email', email);
  await page.getByRole('button', { name: 'Continue with email' }).click();
  await page.waitForURL(/\/create$/);
}

/**
 * Creates a track through the API with the tab's session (the Create page is tested on
 * its own) and waits until it is rendered; returns the job as it finished.
 */
export async function generate(page: Page, base: string, body: Record<string, unknown>): Promise<GenerationResponse> {
  const response = await page.request.post(`${base}/v1/generations`, { data: body });
  if (response.status() !== 202) throw new Error(`POST /v1/generations answered ${response.status()}: ${await response.text()}`);
  let state = (await response.json()) as GenerationResponse;
  for (let i = 0; i < 400 && state.status !== 'succeeded'; i++) {
    if (!['queued', 'running'].includes(state.status)) throw new Error(`the job ended ${state.status}: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 150));
    state = (await (await page.request.get(`${base}/v1/generations/${state.job_id}`)).json()) as GenerationResponse;
  }
  if (state.status !== 'succeeded') throw new Error(`the job did not finish within 60 s: ${JSON.stringify(state)}`);
  return state;
}
