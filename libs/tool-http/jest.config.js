const { jestPreset } = require('../../tools/build/jest-preset.cjs');
module.exports = jestPreset(__dirname);
