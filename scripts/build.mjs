// Bundles the extension and the command line into dist/ (vscode stays external: the host provides it).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
const watch = process.argv.includes('--watch');

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
// (src/api/transport/undici-parts.ts, src/api/parse/fxp-parts.ts, src/ui/script-parts.ts).
// The command line and the worker bundle everything.
const librariesApart = {
  name: 'libraries-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/(undici|fxp|script)-parts$/ }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

const contexts = await Promise.all([
  esbuild.context({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [librariesApart] }),
  esbuild.context({ ...common, entryPoints: ['src/api/transport/undici-parts.ts'], outfile: 'dist/undici-parts.js' }),
  esbuild.context({ ...common, entryPoints: ['src/api/parse/fxp-parts.ts'], outfile: 'dist/fxp-parts.js' }),
  // The script generator, with the first Generate Script (src/ui/script-parts.ts).
  esbuild.context({ ...common, entryPoints: ['src/ui/script-parts.ts'], outfile: 'dist/script-parts.js' }),
  esbuild.context({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Large bodies are parsed on a worker thread (src/api/parse/parse.ts starts src/api/kinds/parse-worker.ts, bundled beside the others).
  esbuild.context({ ...common, entryPoints: ['src/api/kinds/parse-worker.ts'], outfile: 'dist/parse-worker.js' }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
