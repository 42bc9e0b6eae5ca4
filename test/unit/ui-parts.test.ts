// What activation registers and what loads later (dist/ui-parts.js, src/ui/parts.ts) must be the same lists: every
// command of package.json registered at activation has a handler in the table the part loads, every Copilot tool
// registered has a call; and the built part asks the extension's bundle only for modules that bundle lends, and ships
// in the .vsix. The handlers themselves run in the host's suites (actions, activity, lm-tools, generate-script).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

function repository(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.nls.json'))) return dir;
  throw new Error(`no package.nls.json above ${from}`);
}

const root = repository(__dirname);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = (path: string) => readFileSync(join(root, path), 'utf8');
const sorted = (list: Iterable<string>) => [...list].sort();

/** The quoted strings of a list or table in a source file: `'veeamApiExplorer.x'`, or a table's `'veeamApiExplorer.x':` keys. */
function quoted(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

describe('what activation registers and what the part loads', () => {
  it('registers every command of package.json, and the part has a handler for each and no other', () => {
    const registered = quoted(source('src/ui/commands.ts'), /^\s*'(veeamApiExplorer\.[\w.]+)',$/gm);
    const handled = quoted(source('src/ui/commands/table.ts'), /^\s*'(veeamApiExplorer\.[\w.]+)':/gm);
    const declared = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(registered.length > 20, `the ids are read from src/ui/commands.ts (${registered.length})`);
    assert.deepEqual(sorted(registered), sorted(new Set(registered)), 'no id twice');
    assert.deepEqual(sorted(registered), sorted(declared));
    assert.deepEqual(sorted(handled), sorted(declared));
  });

  it('registers every Copilot tool of package.json, and the part has a tool of each name and no other', () => {
    const registered = JSON.parse(/TOOL_NAMES = (\[[^\]]*\])/.exec(source('src/ui/tools/tools.ts'))![1].replaceAll("'", '"')) as string[];
    const specs = readdirSync(join(root, 'src/ui/tools'))
      .filter((f) => f.endsWith('-tool.ts'))
      .flatMap((f) => quoted(source(`src/ui/tools/${f}`), /^\s*name: '(veeam_\w+)',$/gm));
    const declared = (pkg.contributes.languageModelTools as Array<{ name: string }>).map((t) => t.name);
    assert.equal(declared.length, 4);
    assert.deepEqual(sorted(registered), sorted(declared));
    assert.deepEqual(sorted(specs), sorted(declared));
  });
});

describe('the built part (npm run build)', () => {
  const dist = join(root, 'dist');
  const built = existsSync(join(dist, 'extension.js')) && existsSync(join(dist, 'ui-parts.js'));

  it('takes from the extension bundle only modules that bundle lends, and the classes of the tree among them', { skip: !built && 'no dist/: npm run build' }, () => {
    const part = readFileSync(join(dist, 'ui-parts.js'), 'utf8');
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    const asked = new Set(quoted(part, /__extensionModules\["([^"]+)"\]/g));
    // The commands test nodes with instanceof: one ExplorerNode class, the bundle's.
    assert.ok(asked.has('src/ui/tree/node.ts') && asked.has('src/api/errors.ts'), [...asked].join(', '));
    for (const path of asked) assert.ok(extension.includes(JSON.stringify(path)), `dist/extension.js lends ${path}`);
    // …and holds no copy of them (the development build keeps the classes' names: `var ApiError = class …`).
    for (const name of ['ApiError', 'ExplorerNode', 'LeafNode', 'ConnectionNode']) assert.ok(!new RegExp(`\\b(?:class ${name}|${name} = class)\\b`).test(part), `no second ${name} in dist/ui-parts.js`);
  });

  it('ships every file the bundle loads later', { skip: !built && 'no dist/: npm run build' }, () => {
    const ignore = source('.vscodeignore').split('\n');
    const loaded = new Set<string>();
    for (const file of ['extension.js', 'ui-parts.js']) for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/require\("\.\/([\w-]+\.js)"\)/g)) loaded.add(m[1]);
    assert.ok(loaded.has('ui-parts.js') && loaded.has('undici-parts.js'), [...loaded].join(', '));
    for (const file of loaded) assert.ok(ignore.includes(`!dist/${file}`), `.vscodeignore keeps dist/${file}`);
  });
});
