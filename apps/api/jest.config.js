const { jestPreset } = require('../../tools/build/jest-preset.cjs');
// Integration specs (*.int-spec.ts) boot the app against the machine's real Postgres
// (and Redis), each file in a database of its own; see test/support/.
module.exports = jestPreset(__dirname, { testTimeout: 30000 });
