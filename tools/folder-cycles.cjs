#!/usr/bin/env node
// Folder-level import graph of apps/api/src (specs left out): prints the pairs of folders
// that import each other and the groups of folders that form cycles. Entry points
// (files at the root, database/cli.ts) count as "(root)".
//   node tools/folder-cycles.cjs [src-dir]
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? 'apps/api/src');
const ENTRY_POINTS = new Set(['database/cli.ts']);

const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (file.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(file)) files.push(file);
  }
})(root);

const folderOf = (file) => {
  const relative = path.relative(root, file);
  const parts = relative.split(path.sep);
  return parts.length > 1 && !ENTRY_POINTS.has(relative) ? parts[0] : '(root)';
};

/** "a -> b" → the imports that make it */
const edges = new Map();
for (const file of files) {
  for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const from = folderOf(file);
    const to = folderOf(`${path.resolve(path.dirname(file), match[1])}.ts`);
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    if (!edges.has(key)) edges.set(key, []);
    edges.get(key).push(`${path.relative(root, file)} : ${match[1]}`);
  }
}

const next = {};
for (const key of edges.keys()) {
  const [from, to] = key.split(' -> ');
  (next[from] ??= new Set()).add(to);
}

// Tarjan's strongly connected components: each with more than one folder is a cycle.
let counter = 0;
const index = {};
const low = {};
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(v) {
  index[v] = low[v] = counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of next[v] ?? []) {
    if (index[w] === undefined) {
      visit(w);
      low[v] = Math.min(low[v], low[w]);
    } else if (onStack.has(w)) low[v] = Math.min(low[v], index[w]);
  }
  if (low[v] !== index[v]) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(w);
  } while (w !== v);
  if (component.length > 1) cycles.push(component.sort());
}
for (const v of Object.keys(next)) if (index[v] === undefined) visit(v);

const pairs = [...edges.keys()].map((key) => key.split(' -> ')).filter(([a, b]) => a < b && edges.has(`${b} -> ${a}`));
console.log(`folders that import each other: ${pairs.length}`);
for (const [a, b] of pairs) {
  console.log(`  ${a} <-> ${b}`);
  for (const line of [...edges.get(`${a} -> ${b}`), ...edges.get(`${b} -> ${a}`)]) console.log(`      ${line}`);
}
console.log(`folder cycles: ${cycles.length}`);
for (const cycle of cycles) console.log(`  ${cycle.join(', ')}`);
process.exitCode = pairs.length || cycles.length ? 1 : 0;
