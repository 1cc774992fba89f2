// jest globalSetup (jest.config.js): see preflight.cjs.
module.exports = require('./preflight.cjs').globalSetup;
