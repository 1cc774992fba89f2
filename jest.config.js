// One jest run for the whole workspace (`npm test`); each project keeps its own config.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['libs', 'apps', 'tools']
  .flatMap((group) => (fs.existsSync(path.join(__dirname, group)) ? fs.readdirSync(path.join(__dirname, group)).map((name) => path.join(group, name)) : []))
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'jest.config.js')))
  .map((dir) => `<rootDir>/${dir}/jest.config.js`);

// testTimeout is a global option, so the projects' own values do not apply under this root
// config: integration specs boot the app and hash passwords, which takes seconds on a busy machine.
// The preflight provisions what the tests need (Debian packages, Postgres, Redis) before any
// test runs, or stops the run with what is missing: tools/test-preflight/preflight.cjs.
module.exports = {
  projects,
  testTimeout: 30000,
  globalSetup: '<rootDir>/tools/test-preflight/global-setup.cjs',
  globalTeardown: '<rootDir>/tools/test-preflight/global-teardown.cjs',
};
