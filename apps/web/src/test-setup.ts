// Angular's zoneless test environment, for the component tests (jsdom); the end-to-end
// tests run in Node and need none of it.
if (typeof window !== 'undefined') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { setupZonelessTestEnv } = require('jest-preset-angular/setup-env/zoneless') as typeof import('jest-preset-angular/setup-env/zoneless');
  setupZonelessTestEnv();
  // jsdom has media elements but cannot play them.
  Object.defineProperty(HTMLMediaElement.prototype, 'pause', { configurable: true, value() {} });
  Object.defineProperty(HTMLMediaElement.prototype, 'load', { configurable: true, value() {} });
  Object.defineProperty(HTMLMediaElement.prototype, 'play', { configurable: true, value: () => Promise.resolve() });
}
