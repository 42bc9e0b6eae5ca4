import * as esbuild from 'esbuild';
await esbuild.build({ bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: false, legalComments: 'none', entryPoints: ['src/extension.ts'], outfile: '/tmp/act/nomin/extension.js', external: ['vscode'], logLevel: 'error',
 plugins: [{ name: 'x', setup(b) { b.onResolve({ filter: /^\.\/(undici|fxp|script)-parts$/ }, (a) => ({ path: a.path + '.js', external: true })); } }] });
