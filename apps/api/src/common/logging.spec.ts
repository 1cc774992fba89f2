import { redactQuery } from './logging';

describe('request URLs in logs', () => {
  it.each([
    ['/v1/generations/1/events?token=abc', '/v1/generations/1/events?token=[Redacted]'],
    ['/v1/auth/oidc/callback?code=secret-code&state=s1&iss=https%3A%2F%2Fidp', '/v1/auth/oidc/callback?code=[Redacted]&state=[Redacted]&iss=https%3A%2F%2Fidp'],
    ['/v1/shared/3b1d.k2.sig/stream?format=mp3', '/v1/shared/[Redacted]/stream?format=mp3'],
    ['/v1/shared-playlists/3b1d.k2.sig', '/v1/shared-playlists/[Redacted]'],
    ['/v1/library?q=rock&cursor=abc', '/v1/library?q=rock&cursor=abc'],
  ])('%s', (url, logged) => {
    expect(redactQuery(url)).toBe(logged);
  });
});
