// Bundles the extension and the command line into dist/ (vscode stays external: the host provides it).
// BUILD_METAFILES=PREFIX writes esbuild's metafiles of the extension's bundle and its parts to PREFIX-0.json,
// PREFIX-1.json… (what each is made of, as built).
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, statSync, watch as watchFiles, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
const watch = process.argv.includes('--watch');
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

// The extension loads undici from a file of its own with its first connection, and the XML library with its first XML
// body, and the script generator with the first Generate Script, so activation neither reads nor compiles them
// (src/api/transport/undici-parts.ts, src/api/parse/fxp-parts.ts, src/ui/script-parts.ts). The same for the code of the
// commands, the Copilot tools' calls and the request documents' actions (src/ui/ui-parts.ts, with the first of them).
// The command line and the worker bundle everything.
const librariesApart = {
  name: 'libraries-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/(undici|fxp|saxes|script|ui)-parts$/ }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

/**
 * One `require('vscode')` per bundle. esbuild turns every file's `import * as vscode from 'vscode'` into a copy of the
 * whole API object (all its members, one getter each): fifty files, fifty copies at activation. Here they all import
 * one module that reads the members the sources use, once.
 */
function vscodeOnce() {
  const members = new Set();
  for (const file of sourceFiles(join(root, 'src'))) for (const m of readFileSync(file, 'utf8').matchAll(/\bvscode\.([A-Za-z_$][\w$]*)/g)) members.add(m[1]);
  const contents = ['const api = require("vscode");', ...[...members].sort().map((m) => `export const ${m} = api.${m};`)].join('\n');
  return {
    name: 'vscode-once',
    setup(build) {
      build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
      build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents, loader: 'js', resolveDir: root }));
    },
  };
}

// A part loaded later (ui-parts) must not hold a second copy of a module of the extension's bundle that has an
// identity: a second ApiError or ExplorerNode class fails every `instanceof` against the first, a second module-level
// cache or Symbol is another one. So the part is a function of those modules (banner and footer below), and each of
// them, imported in the part, is the extension bundle's own (`sharedModules()` of src/ui/shared-modules.ts, generated
// here; src/ui/parts.ts calls the part with it). Which: those both bundles hold code of and that declare, at their top,
// a class, a `let`/`var`, or a `const` made by `new` or by a call (`Symbol()`, the one `bodyParser` of every session:
// holdsIdentity); found by building until none
// is left (a shared module keeps all its exports in the extension's bundle, which can bring more). A module of
// functions and constants only is copied into the part instead: the same code twice behaves the same, and sharing
// it would keep all its exports (the script templates…) in the extension's bundle.
const PARTS = [{ entry: 'src/ui/ui-parts.ts', outfile: 'dist/ui-parts.js' }];
const key = (path) => relative(root, path).split('\\').join('/');

function sharedModulesOf(shared) {
  return {
    name: 'shared-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\/shared-modules$/ }, (args) => ({ path: resolve(args.resolveDir, 'shared-modules.ts'), namespace: 'shared-modules' }));
      build.onLoad({ filter: /.*/, namespace: 'shared-modules' }, () => {
        const list = [...shared].sort();
        const contents = [
          ...list.map((path, i) => `import * as m${i} from ${JSON.stringify(resolve(root, path))};`),
          `export function sharedModules() { return { ${list.map((path, i) => `${JSON.stringify(path)}: m${i}`).join(', ')} }; }`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}

function fromExtensionBundle(shared) {
  return {
    name: 'from-extension-bundle',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'resolving' || args.namespace !== 'file') return undefined;
        const found = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'resolving' });
        if (found.errors.length > 0 || found.external || !shared.has(key(found.path))) return undefined;
        return { path: key(found.path), namespace: 'extension-bundle' };
      });
      // An ES module of the same exports (read once the part loads, when the extension's bundle has run), so that the
      // barrels re-exporting it (src/api/index.ts) are still tree-shaken.
      build.onLoad({ filter: /.*/, namespace: 'extension-bundle' }, async (args) => {
        const names = await exportsOf(args.path);
        const contents = [`const lent = __extensionModules[${JSON.stringify(args.path)}];`, ...names.map((n) => `export const ${n} = lent.${n};`)].join('\n');
        return { contents, loader: 'js' };
      });
    },
  };
}

const modules = new Map();

/** A source module alone: its value exports (what `import * as` of it holds) and its size with all of them. */
function moduleAlone(path) {
  if (!modules.has(path)) {
    const alone = { entryPoints: [resolve(root, path)], bundle: false, write: false, metafile: true, format: 'esm', minify: true, logLevel: 'silent', outdir: 'out/alone' };
    modules.set(
      path,
      esbuild.build(alone).then((r) => {
        const [output] = Object.values(r.metafile.outputs);
        if (output.exports.includes('default')) throw new Error(`${path}: a default export cannot be lent to a part`);
        return { exports: output.exports, bytes: output.bytes };
      }),
    );
  }
  return modules.get(path);
}

async function exportsOf(path) {
  return (await moduleAlone(path)).exports;
}

const TOP_LEVEL_IDENTITY = /^(?:export\s+)?(?:(?:default\s+)?(?:abstract\s+)?class\s+[\w$]+[^(\n]*\{|(?:let|var)\s+[\w$]+\s*[:=;]|const\s+[\w$]+(?:\s*:[^=\n]+)?\s*=\s*(?:new\s|[\w$.]+\s*\())/m;

function holdsIdentity(path) {
  return TOP_LEVEL_IDENTITY.test(readFileSync(resolve(root, path), 'utf8'));
}

/** Source files a build holds code of (a file of types or of re-exports only holds none), and how much. */
function codeOf(metafile) {
  const files = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0 && path.startsWith('src/')) files.set(path, bytesInOutput);
  }
  return files;
}

async function buildExtension() {
  modules.clear();
  const shared = new Set();
  for (let round = 0; ; round++) {
    const builds = await Promise.all([
      esbuild.build({ ...common, logLevel: 'warning', write: false, metafile: true, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [librariesApart, vscodeOnce(), sharedModulesOf(shared)] }),
      ...PARTS.map((part) =>
        esbuild.build({
          ...common,
          logLevel: 'warning',
          write: false,
          metafile: true,
          entryPoints: [part.entry],
          outfile: part.outfile,
          external: ['vscode'],
          plugins: [librariesApart, vscodeOnce(), fromExtensionBundle(shared)],
          banner: { js: '"use strict";module.exports=function(__extensionModules){var module={exports:{}},exports=module.exports;' },
          footer: { js: 'return module.exports};' },
        }),
      ),
    ]);
    const [main, ...parts] = builds.map((b) => codeOf(b.metafile));
    // Lent: a module with an identity; and one the extension's bundle holds (nearly) all of already (the messages),
    // which costs that bundle nothing.
    const lent = async ([f]) => main.has(f) && !shared.has(f) && (holdsIdentity(f) || main.get(f) >= 0.9 * (await moduleAlone(f)).bytes);
    const twice = [];
    for (const files of parts) for (const entry of files) if (await lent(entry)) twice.push(entry[0]);
    if (twice.length === 0) {
      if (process.env.BUILD_METAFILES) builds.forEach((b, i) => writeFileSync(`${process.env.BUILD_METAFILES}-${i}.json`, JSON.stringify(b.metafile)));
      for (const b of builds) for (const file of b.outputFiles) mkdirSync(dirname(file.path), { recursive: true }), writeFileSync(file.path, file.contents);
      return;
    }
    if (round > 20) throw new Error(`modules still in both bundles: ${twice.join(', ')}`);
    for (const f of twice) shared.add(f);
  }
}

const contexts = await Promise.all([
  esbuild.context({ ...common, entryPoints: ['src/api/transport/undici-parts.ts'], outfile: 'dist/undici-parts.js' }),
  esbuild.context({ ...common, entryPoints: ['src/api/parse/fxp-parts.ts'], outfile: 'dist/fxp-parts.js' }),
  // The streaming XML parser, with the first large XML list on the parser thread (src/api/kinds/em/xml-list-scan.ts).
  esbuild.context({ ...common, entryPoints: ['src/api/kinds/em/saxes-parts.ts'], outfile: 'dist/saxes-parts.js' }),
  // The script generator, with the first Generate Script (src/ui/script-parts.ts).
  esbuild.context({ ...common, entryPoints: ['src/ui/script-parts.ts'], outfile: 'dist/script-parts.js' }),
  esbuild.context({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Large bodies are parsed on a worker thread (src/api/parse/parse.ts starts src/api/kinds/parse-worker.ts, bundled beside the others).
  esbuild.context({ ...common, entryPoints: ['src/api/kinds/parse-worker.ts'], outfile: 'dist/parse-worker.js' }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  // The extension and its parts are built together (which modules they share depends on all of them): again on a change.
  let pending;
  let building = Promise.resolve();
  const rebuild = () =>
    (building = building.then(() => buildExtension()).then(() => console.log('[watch] dist/extension.js and its parts built'), (err) => console.error(err.message)));
  watchFiles(join(root, 'src'), { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(rebuild, 100);
  });
  await rebuild();
} else {
  await Promise.all([buildExtension(), ...contexts.map((c) => c.rebuild())]);
  await Promise.all(contexts.map((c) => c.dispose()));
}
