// Require hook so scripts (benchmarks, test child processes) run the TypeScript sources
// with plain `node -r ./tools/build/register.cjs file.ts`: `.ts` files are compiled with
// the workspace SWC options, and `@texttune/<name>` resolves to libs/<name>/src/index.ts.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const { swcOptions } = require('./swc-options.cjs');

const root = path.resolve(__dirname, '../..');
const options = swcOptions({ sourceMaps: 'inline' });

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceAlias(request, parent, ...rest) {
  const alias = /^@texttune\/([a-z0-9-]+)$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', 'index.ts') : request;
  return originalResolve.call(this, target, parent, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
