import { EngineError } from '../music-engine';
import { authAdvice, classifyConnectError, classifyStatusError, formatWait, parseWaitSeconds, stripHtml } from './errors';

const ctx = { space: 'acme/melody', hasToken: true };
const ZEROGPU =
  'You have exceeded your GPU quota (60s requested vs. 0s left). <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)" href="https://huggingface.co/settings/billing">Upgrade</a> Try again in 0:13:27';

describe('Space error messages', () => {
  it('strips HTML and entities from what a Space says', () => {
    expect(stripHtml(ZEROGPU)).toBe('You have exceeded your GPU quota (60s requested vs. 0s left). Upgrade Try again in 0:13:27');
    expect(stripHtml('<p>a &amp; b&nbsp;&lt;c&gt;</p><script>x()</script>')).toBe('a & b <c>');
    expect(stripHtml('x'.repeat(1000))).toHaveLength(400);
  });

  it('reads the wait a Space asks for', () => {
    expect(parseWaitSeconds('Try again in 0:13:27')).toBe(807);
    expect(parseWaitSeconds('retry in 5:00')).toBe(300);
    expect(parseWaitSeconds('please try again in 40 seconds')).toBe(40);
    expect(parseWaitSeconds('Try again in 2 minutes')).toBe(120);
    expect(parseWaitSeconds('no idea')).toBeUndefined();
    expect(formatWait(807)).toBe('13 min 27 s');
    expect(formatWait(45)).toBe('45 s');
    expect(formatWait(3720)).toBe('1 h 2 min');
  });

  it('quota: space_quota with the wait, the Space sentence without HTML, not retried', () => {
    const error = classifyStatusError({ message: ZEROGPU, title: 'ZeroGPU quota exceeded' }, undefined, ctx);
    expect(error).toMatchObject({ code: 'space_quota', transient: false, retryAfterSeconds: 807 });
    expect(error.message).toContain('asks to wait 13 min 27 s');
    expect(error.message).toContain('Set HF_API_TOKEN to an account with quota');
    expect(error.message).not.toContain('<a');
  });

  it('queue full, broken connection and 5xx are transient space_unavailable', () => {
    expect(classifyStatusError({ message: 'This application is currently busy. Please try again. ' }, { status: 503, path: '/gradio_api/queue/join' }, ctx)).toMatchObject({ code: 'space_unavailable', transient: true });
    expect(classifyStatusError({ message: 'Connection errored out. ', broken: true }, undefined, ctx)).toMatchObject({ code: 'space_unavailable', transient: true });
    expect(classifyStatusError({ message: 'boom' }, { status: 502, path: '/gradio_api/queue/join' }, ctx)).toMatchObject({ code: 'space_unavailable' });
  });

  it('401 on join is space_auth; the app raising is space_error with its message kept', () => {
    expect(classifyStatusError({ message: 'Invalid credentials in Authorization header' }, { status: 401, path: '/gradio_api/queue/join' }, ctx)).toMatchObject({ code: 'space_auth' });
    const raised = classifyStatusError({ message: 'CUDA out of memory. Tried to allocate 2.00 GiB', title: 'Error' }, undefined, ctx);
    expect(raised).toMatchObject({ code: 'space_error', transient: false, message: 'The Space acme/melody reported an error: CUDA out of memory. Tried to allocate 2.00 GiB' });
    expect(classifyStatusError({ message: 'An error occurred' }, undefined, ctx).message).toMatch(/did not say why/);
  });

  it('connect failures: private Space, bad token, sleeping, unreachable, Gradio 3', () => {
    const noToken = { ...ctx, hasToken: false };
    const privateSpace = classifyConnectError(new Error('Could not access this app (received a 401 response). If it is a private Hugging Face Space…'), undefined, noToken);
    expect(privateSpace).toMatchObject({ code: 'space_auth', message: 'The Space acme/melody is private (HTTP 401): set HF_API_TOKEN to a Hugging Face token with access to acme/melody.' });
    expect(classifyConnectError(new Error('Login credentials are required to access this space.'), { status: 401, path: '/config' }, ctx).message).toMatch(/refused HF_API_TOKEN \(HTTP 401\)/);
    expect(classifyConnectError(new Error('Could not resolve app config. (received status 503 when fetching the app config)'), undefined, ctx)).toMatchObject({ code: 'space_unavailable', transient: true });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7860'), { code: 'ECONNREFUSED' }) });
    expect(classifyConnectError(refused, undefined, ctx)).toMatchObject({ code: 'space_unavailable', transient: true });
    expect(classifyConnectError(new Error('Could not resolve app config. (received status 404 when fetching the app config)'), undefined, ctx)).toMatchObject({ code: 'space_unavailable', transient: false });
    expect(classifyConnectError(new Error('This app appears to be running a legacy version of Gradio (3.x or earlier)'), undefined, ctx)).toMatchObject({ code: 'space_error' });
    const given = new EngineError('space_auth', 'x');
    expect(classifyConnectError(given, undefined, ctx)).toBe(given);
  });

  it("says whose token was refused and whose quota ran out (users' own tokens)", () => {
    const user = { ...ctx, credential: 'user' as const, account: 'alice' };
    const anonymous = { ...ctx, hasToken: false };
    const userOnly = { ...anonymous, userOnly: true };
    const quota = (c: typeof ctx) => classifyStatusError({ message: ZEROGPU, title: 'ZeroGPU quota exceeded' }, undefined, c).message;
    expect(quota(user)).toMatch(/asks to wait 13 min 27 s: your Hugging Face token's quota \(account alice\) has no GPU time left\. .*in Settings/);
    expect(quota(ctx)).toMatch(/: the server's quota \(the account of HF_API_TOKEN\) has no GPU time left\./);
    expect(quota(anonymous)).toMatch(/: the server's quota \(anonymous use: the server has no HF_API_TOKEN\) has no GPU time left\. Set your own Hugging Face token in Settings/);
    const join401 = { status: 401, path: '/gradio_api/queue/join' };
    expect(classifyStatusError({ message: 'Invalid credentials' }, join401, user).message).toBe(
      'The Space acme/melody refused your Hugging Face token (HTTP 401): replace your Hugging Face token in Settings with one that has access to acme/melody.',
    );
    expect(classifyConnectError(new Error('Could not access this app (received a 401 response).'), undefined, userOnly).message).toBe(
      'The Space acme/melody is private (HTTP 401): set your own Hugging Face token, with access to acme/melody, in Settings.',
    );
    for (const c of [user, userOnly]) expect(authAdvice(c)).not.toContain('HF_API_TOKEN');
  });
});
