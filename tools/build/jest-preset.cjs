// Shared jest settings: SWC transform (same options as the build) and the workspace aliases.
const path = require('node:path');
const { swcOptions } = require('./swc-options.cjs');

const root = path.resolve(__dirname, '../..');

/**
 * ESM-only packages the code requires (Node ≥ 20.19 loads them with `require`; jest's
 * module loader does not): jest compiles them to CommonJS with the same SWC settings.
 */
const ESM_PACKAGES = ['mpg123-decoder', '@wasm-audio-decoders/[a-z-]+', 'codec-parser', '@apidevtools/json-schema-ref-parser', 'spessasynth_core', 'stb-vorbis'];

/** @param {string} projectDir absolute path of the project */
function jestPreset(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    displayName: path.relative(root, projectDir),
    testEnvironment: 'node',
    transform: {
      '^.+\\.ts$': ['@swc/jest', swcOptions({ sourceMaps: 'inline' })],
      [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['@swc/jest', { ...swcOptions({ sourceMaps: false }), jsc: { ...swcOptions().jsc, parser: { syntax: 'ecmascript' } } }],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: { '^@texttune/([a-z0-9-]+)$': `${root}/libs/$1/src/index.ts` },
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts'],
    ...overrides,
  };
}
module.exports = { jestPreset, root };
