import { formatBytes, formatClock, shareToken, withFormat } from './format';

describe('format helpers', () => {
  it('formats clock times', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(75.4)).toBe('1:15');
    expect(formatClock(Number.NaN)).toBe('0:00');
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(null)).toBe('');
  });

  it('sets the format of relative and absolute URLs', () => {
    expect(withFormat('/v1/download/t1', 'mp3')).toBe('/v1/download/t1?format=mp3');
    expect(withFormat('/v1/download/t1?format=wav', 'mp3')).toBe('/v1/download/t1?format=mp3');
    expect(withFormat('https://x.test/v1/download/t1', 'wav')).toBe('https://x.test/v1/download/t1?format=wav');
  });

  it('takes the token of a share link', () => {
    expect(shareToken('/v1/shared/abc123')).toBe('abc123');
    expect(shareToken('https://x.test/v1/shared/abc123')).toBe('abc123');
  });
});
