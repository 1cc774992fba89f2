/** 75.4 -> "1:15" */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
  const whole = Math.floor(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Byte counts for people: 1536 -> "1.5 KB" */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** `url` with `format` set in its query (relative URLs stay relative). */
export function withFormat(url: string, format: string): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('format', format);
  return url.startsWith('http') ? parsed.toString() : `${parsed.pathname}${parsed.search}`;
}

/** The token of a share link (`/v1/shared/<token>`). */
export function shareToken(url: string): string {
  return new URL(url, 'http://x').pathname.split('/').filter(Boolean).pop() ?? '';
}
