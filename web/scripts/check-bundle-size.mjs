#!/usr/bin/env node
// Prints every JS and CSS asset of the build with its raw and gzip size, then the gzip size
// of the initial JS: the entry chunk plus everything it imports statically, as Vite's
// manifest records it (lazy routes are dynamic imports and do not count). Exits 1 above the
// budget, so CI fails when the shell grows past it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// 200 kB as Vite reports sizes (1 kB = 1000 bytes): the stricter reading of "200 KB".
const BUDGET_BYTES = 200 * 1000;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const gzipSize = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const rawSize = (path) => readFileSync(path).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
} catch (error) {
  console.error(`check-bundle-size: no build manifest in ${dist} (run vite build): ${error}`);
  process.exit(2);
}

const assets = walk(join(dist, 'assets'))
  .filter((path) => /\.(js|css)$/.test(path))
  .map((path) => ({ file: relative(dist, path), raw: rawSize(path), gzip: gzipSize(path) }))
  .sort((a, b) => b.gzip - a.gzip);

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key, chunk] of Object.entries(manifest)) {
  if (chunk.isEntry) visit(key);
}

const width = Math.max(...assets.map((a) => a.file.length), 10);
console.log(`${'asset'.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip'.padStart(10)}  initial`);
for (const asset of assets) {
  const mark = initial.has(asset.file) ? '   *' : '';
  console.log(
    `${asset.file.padEnd(width)}  ${kb(asset.raw).padStart(10)}  ${kb(asset.gzip).padStart(10)}${mark}`,
  );
}

const initialJs = assets.filter((a) => initial.has(a.file) && a.file.endsWith('.js'));
if (initialJs.length === 0) {
  console.error('check-bundle-size: the manifest names no entry chunk');
  process.exit(2);
}
const total = initialJs.reduce((sum, a) => sum + a.gzip, 0);
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
console.log(
  `initial JS (${initialJs.length} chunks): ${kb(total)} gzipped, ${verdict} the ${kb(BUDGET_BYTES)} budget`,
);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
