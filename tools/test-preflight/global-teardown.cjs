// jest globalTeardown (jest.config.js): stops what preflight.cjs started.
module.exports = require('./preflight.cjs').globalTeardown;
