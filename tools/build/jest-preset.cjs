// Shared jest settings: SWC transform (same options as the build) and the workspace aliases.
const path = require('node:path');
const { swcOptions } = require('./swc-options.cjs');

const root = path.resolve(__dirname, '../..');

/** @param {string} projectDir absolute path of the project */
function jestPreset(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    displayName: path.relative(root, projectDir),
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', swcOptions({ sourceMaps: 'inline' })] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: { '^@texttune/([a-z0-9-]+)$': `${root}/libs/$1/src/index.ts` },
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts'],
    ...overrides,
  };
}
module.exports = { jestPreset, root };
