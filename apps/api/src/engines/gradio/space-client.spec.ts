import { parseSpaceReference, resolveSpace, SpaceConfigError } from './space-client';

describe('HF_SPACE_ID', () => {
  it('is a Space id or an http(s) URL, never a URL with credentials', () => {
    expect(parseSpaceReference('CryptoThaler/melody')).toEqual({ spaceId: 'CryptoThaler/melody' });
    expect(parseSpaceReference('spaces/facebook/MusicGen/')).toEqual({ spaceId: 'facebook/MusicGen' });
    expect(parseSpaceReference('http://gpu-box:7860/')).toEqual({ url: new URL('http://gpu-box:7860/') });
    expect(() => parseSpaceReference('musicgen')).toThrow(SpaceConfigError);
    expect(() => parseSpaceReference('http://user:pw@gpu-box/')).toThrow(/credentials/);
  });

  it('a URL resolves without any request; a path is kept as the base', async () => {
    const fetchImpl = jest.fn();
    await expect(resolveSpace('http://gpu-box:7860/music/', 'hf_x', undefined, fetchImpl)).resolves.toEqual({
      reference: 'http://gpu-box:7860/music/',
      baseUrl: 'http://gpu-box:7860/music',
      origin: 'http://gpu-box:7860',
      spaceId: null,
    });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('a Space id asks the Hugging Face API where it runs, with the token (Hugging Face only)', async () => {
    const fetchImpl = jest.fn(async () => new Response(JSON.stringify({ subdomain: 'cryptothaler-melody', host: 'https://cryptothaler-melody.hf.space' }), { status: 200 }));
    const target = await resolveSpace('CryptoThaler/melody', 'hf_secret', undefined, fetchImpl);
    expect(target).toEqual({ reference: 'CryptoThaler/melody', baseUrl: 'https://cryptothaler-melody.hf.space', origin: 'https://cryptothaler-melody.hf.space', spaceId: 'CryptoThaler/melody' });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://huggingface.co/api/spaces/CryptoThaler/melody/host');
    expect(init.headers).toEqual({ Authorization: 'Bearer hf_secret' });
    expect(init.redirect).toBe('error');
  });

  it('an unknown or private Space is space_auth with what to set; an API outage is transient', async () => {
    const answer = (status: number) => jest.fn(async () => new Response('{}', { status })) as unknown as typeof fetch;
    await expect(resolveSpace('acme/private', undefined, undefined, answer(401))).rejects.toMatchObject({ code: 'space_auth', message: expect.stringContaining('set HF_API_TOKEN to a token with access to acme/private') });
    await expect(resolveSpace('acme/gone', undefined, undefined, answer(404))).rejects.toMatchObject({ code: 'space_auth' });
    await expect(resolveSpace('acme/x', undefined, undefined, answer(502))).rejects.toMatchObject({ code: 'space_unavailable', transient: true });
    const offline = jest.fn(async () => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    await expect(resolveSpace('acme/x', undefined, undefined, offline)).rejects.toMatchObject({ code: 'space_unavailable', transient: true });
  });
});
