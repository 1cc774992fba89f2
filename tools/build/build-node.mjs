#!/usr/bin/env node
// Compiles one Node project and every library under libs/ to CommonJS with SWC.
//
//   node tools/build/build-node.mjs <project-dir> <out-dir>
//
// Layout: <project-dir>/src/X.ts -> <out-dir>/X.js and libs/<name>/src/X.ts ->
// <out-dir>/libs/<name>/X.js. Imports of the workspace aliases (`@texttune/<name>`)
// are rewritten to relative paths into that layout, so the output runs with plain
// `node` and needs no path-mapping hook at run time. Type-checking is the
// `typecheck` target's job (tsc --noEmit); this step only transpiles, in about a second.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { swcOptions } = require('./swc-options.cjs');

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const [projectDir, outDirArg] = process.argv.slice(2);
if (!projectDir || !outDirArg) {
  console.error('usage: build-node.mjs <project-dir> <out-dir>');
  process.exit(2);
}
const outDir = path.resolve(root, outDirArg);
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.(spec|int-spec)\.ts$/.test(f);

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (isSource(entry.name)) yield full;
  }
}

const units = [{ src: path.resolve(root, projectDir, 'src'), out: outDir }];
for (const lib of await readdir(path.join(root, 'libs'), { withFileTypes: true }).catch(() => [])) {
  if (lib.isDirectory()) units.push({ src: path.join(root, 'libs', lib.name, 'src'), out: path.join(outDir, 'libs', lib.name) });
}

await rm(outDir, { recursive: true, force: true });
const aliasPattern = /require\("@texttune\/([a-z0-9-]+)"\)/g;
let count = 0;
for (const unit of units) {
  for await (const file of walk(unit.src)) {
    const target = path.join(unit.out, path.relative(unit.src, file)).replace(/\.ts$/, '.js');
    const result = await transformFile(file, { ...swcOptions(), filename: file, sourceFileName: path.relative(path.dirname(target), file), outputPath: target });
    const code = result.code.replace(aliasPattern, (_, name) => {
      let rel = path.relative(path.dirname(target), path.join(outDir, 'libs', name, 'index.js'));
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `require(${JSON.stringify(rel)})`;
    });
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (result.map) await writeFile(`${target}.map`, result.map);
    count++;
  }
}
console.log(`built ${count} files into ${path.relative(root, outDir)}`);
