// Bundles what the host tests need, independently of `tsc` (so a type error elsewhere cannot stop the harness):
//   test/e2e/index.ts          -> out/e2e/index.js          (extensionTestsPath; mocha and vscode stay external)
//   test/e2e/suite/*.test.ts   -> out/e2e/suite/*.test.js   (one bundle per file, added to mocha one by one)
//   test/host/run.ts           -> out/host/run.js           (the code-server runner, plain Node; npm packages external)
//   test/host/electron.ts      -> out/host/electron.js      (the @vscode/test-electron path for a local VS Code)
//   test/host/demo.ts          -> out/host/demo.js          (npm start; includes the simulator)
//   test/simulator/index.ts    -> out/host/simulator.js     (when it exists)
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
process.chdir(root);

const suites = fs.existsSync('test/e2e/suite')
  ? fs.readdirSync('test/e2e/suite').filter((f) => f.endsWith('.test.ts')).map((f) => `test/e2e/suite/${f}`)
  : [];

const simulatorEntry = ['test/simulator/index.ts', 'test/simulator.ts'].find((f) => fs.existsSync(f));

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  legalComments: 'none',
};

fs.rmSync('out/e2e', { recursive: true, force: true });
fs.rmSync('out/host', { recursive: true, force: true });

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['test/e2e/index.ts'], outfile: 'out/e2e/index.js', external: ['vscode', 'mocha'] }),
  suites.length > 0 &&
    esbuild.build({ ...common, entryPoints: suites, outdir: 'out/e2e/suite', external: ['vscode', 'mocha'] }),
  esbuild.build({
    ...common,
    sourcemap: 'linked',
    entryPoints: ['test/host/run.ts', 'test/host/electron.ts', ...(simulatorEntry ? ['test/host/demo.ts'] : [])],
    outdir: 'out/host',
    packages: 'external',
  }),
  // The runner loads it at run time (test/host/simulator-env.ts), so the harness works before it exists.
  simulatorEntry &&
    esbuild.build({ ...common, sourcemap: 'linked', entryPoints: [simulatorEntry], outfile: 'out/host/simulator.js', packages: 'external' }),
]);
console.log(`bundled the e2e entry, ${suites.length} suite file(s), the host runners${simulatorEntry ? ' and the simulator' : ''} into out/`);
