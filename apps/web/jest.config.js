// Component tests (jsdom, jest-preset-angular) and end-to-end tests (*.e2e-spec.ts: node,
// the real API and Chromium through playwright-core), in the one root `jest` run.
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');
const { swcOptions } = require('../../tools/build/swc-options.cjs');

const root = path.resolve(__dirname, '../..');
const angular = createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' });

module.exports = {
  ...angular,
  rootDir: __dirname,
  displayName: 'apps/web',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/e2e/**/*.e2e-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  // Angular's .mjs bundles and the ESM-only helpers of Transloco are compiled for jest.
  transformIgnorePatterns: ['node_modules/(?!(.*\\.mjs$|@jsverse/))'],
  moduleNameMapper: { '^@texttune/([a-z0-9-]+)$': `${root}/libs/$1/src/index.ts` },
  transform: {
    // End-to-end tests run in Node: plain SWC, like the API's tests.
    '^.+/apps/web/e2e/.+\\.ts$': ['@swc/jest', swcOptions({ sourceMaps: 'inline' })],
    ...angular.transform,
  },
};
