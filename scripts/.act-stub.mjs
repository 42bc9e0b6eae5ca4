import * as esbuild from 'esbuild';
const stub = new RegExp(process.argv[2]);
const r = await esbuild.build({ bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, legalComments: 'none', entryPoints: ['src/extension.ts'], outfile: '/tmp/act/stub.js', external: ['vscode'], metafile: true, logLevel: 'error',
 plugins: [{ name: 'x', setup(b) { b.onResolve({ filter: /^\.\/(undici|fxp|script)-parts$/ }, (a) => ({ path: a.path + '.js', external: true }));
   b.onLoad({ filter: /\.ts$/ }, (a) => !stub.test(a.path) ? undefined : ({ contents: 'module.exports = new Proxy({}, { get: () => function () {} });', loader: 'js' })); } }] });
const out = Object.values(r.metafile.outputs)[0];
console.log(out.bytes);
if (process.argv[3]) Object.entries(out.inputs).map(([k, v]) => [v.bytesInOutput, k]).sort((a, b) => b[0] - a[0]).slice(0, +process.argv[3]).forEach(x => console.log(x[0], x[1]));
