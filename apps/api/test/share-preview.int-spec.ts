import type { GenerationResponse, ShareResponse } from '@texttune/contracts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { DataSource } from 'typeorm';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

const CRAWLER = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
const SHELL = '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n    <title>TextTune</title>\n  </head>\n  <body><tt-root></tt-root></body>\n</html>\n';

/** `<meta property|name="key" content="…">` values of a page, unescaped. */
function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [, key, value] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) {
    tags[key] = value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return tags;
}

// A generation, a page and a PNG render each: slower than the default 30 s on a busy machine.
jest.setTimeout(120_000);

describe('link previews of shared track pages (Open Graph, Twitter card)', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let trackId: string;
  let webDir: string;
  const title = 'Rock & "roll" <script>alert(1)</script>';

  beforeAll(async () => {
    // The web build is found under the working directory (dist/apps/web/browser).
    webDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-webdist-'));
    await mkdir(path.join(webDir, 'dist/apps/web/browser'), { recursive: true });
    await writeFile(path.join(webDir, 'dist/apps/web/browser/index.html'), SHELL);
    const cwd = process.cwd();
    process.chdir(webDir);
    try {
      t = await startTestApp({}, { engines: [new TestEngine()] });
    } finally {
      process.chdir(cwd);
    }
    auth = await signIn(t);
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'calm piano', duration: 2 }).expect(202)).body as GenerationResponse;
    trackId = (await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0];
    await t.http().patch(`/v1/tracks/${trackId}`).set(auth).send({ title }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('gives a crawler the title, the audio and a PNG waveform of a valid link, escaped', async () => {
    const share = (await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    const token = share.url.split('/').at(-1)!;
    const page = await t.http().get(`/s/${token}`).set('User-Agent', CRAWLER).set('Accept', 'text/html').set('Host', 'music.example.com').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('private, no-cache');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('<tt-root></tt-root>');
    const head = page.text.slice(0, page.text.indexOf('</head>'));
    const tags = metaTags(head);
    const origin = 'http://music.example.com';
    expect(tags).toMatchObject({
      'og:type': 'music.song',
      'og:title': title,
      'og:description': 'calm piano',
      'og:url': `${origin}/s/${token}`,
      'og:audio': `${origin}${share.audio_url}`,
      'og:audio:type': 'audio/wav',
      'og:image': `${origin}${share.url}/preview.png`,
      'og:image:type': 'image/png',
      'music:duration': '2',
      'twitter:card': 'summary_large_image',
      'twitter:title': title,
      'twitter:image': `${origin}${share.url}/preview.png`,
    });

    const image = await t.http().get(new URL(tags['og:image']).pathname).buffer(true).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(image.body as Buffer);
    expect([png.width, png.height]).toEqual([1200, 630]);
    // the tone's bars are drawn: some pixels differ from the corner's background
    const corner = png.data.readUInt32BE(0);
    let drawn = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data.readUInt32BE(i) !== corner) drawn++;
    expect(drawn).toBeGreaterThan(1000);
    await t.http().get(new URL(tags['og:audio']).pathname).set('Range', 'bytes=0-3').expect(206);
  });

  it('serves the plain page, without preview tags, for revoked, expired and unknown links', async () => {
    const revoked = (await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    await t.http().delete(`/v1/tracks/${trackId}/shares/${revoked.id}`).set(auth).expect(204);
    const expired = (await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    await t.app.get(DataSource).query(`UPDATE track_shares SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    for (const token of [revoked.url.split('/').at(-1)!, expired.url.split('/').at(-1)!, 'nonsense', 'a.b.c']) {
      const page = await t.http().get(`/s/${token}`).set('User-Agent', CRAWLER).set('Accept', 'text/html').expect(200);
      expect([token, page.text]).toEqual([token, SHELL]);
    }
    expect((await t.http().get(`${revoked.url}/preview.png`).expect(404)).body.code).toBe('not_found');
  });

  it('serves other pages of the app unchanged', async () => {
    expect((await t.http().get('/library').set('Accept', 'text/html').expect(200)).text).toBe(SHELL);
  });
});
