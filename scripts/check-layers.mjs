// The rules of src/api/'s layers (ARCHITECTURE.md), checked on every import, as part of `npm run typecheck`:
//   - nothing under src/api imports `vscode`, or anything outside src/api but packages and Node's own modules;
//   - transport/ imports only transport/ and the shared files at src/api's top (errors, messages, redact, resource, types);
//   - parse/ imports no kind, no session and no part of the request flow;
//   - openapi/ (the map, reader and JSON bodies of OpenAPI-described APIs) imports no kind, session or transport;
//   - a kind (kinds/em, kinds/vspc, ...) never imports another kind;
//   - scripts/ (Generate Script) knows the kinds only through kinds/registry.ts, and makes no request: no transport,
//     no parser, no request flow but session/strategy.ts (the kinds' contract: their URL defaults);
//   - no loop between folders (src/api's top files and index.ts apart: they are the shared model and the surface).
// `import type` counts too: a type from the wrong layer is the start of a wrong dependency.
// Usage: node scripts/check-layers.mjs [API_DIR]   (default src/api); exit 1 with one line per broken rule.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const apiDir = resolve(process.argv[2] ?? 'src/api');
const SHARED = new Set(['errors', 'messages', 'redact', 'resource', 'types']);
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [full] : [];
  });
}

/** The layer of a file: `transport`, `parse`, `session`, `kinds` (the registry and parse dispatch), `kinds/em`, …, or `top`. */
function layerOf(file) {
  const parts = relative(apiDir, file).split(sep);
  if (parts.length === 1) return 'top';
  if (parts[0] === 'kinds' && parts.length > 2) return `kinds/${parts[1]}`;
  return parts[0];
}

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return `${base}.ts`;
}

const problems = [];
const edges = new Map();
const builtins = new Set(builtinModules);
for (const file of files(apiDir)) {
  const text = readFileSync(file, 'utf8');
  const layer = layerOf(file);
  const where = relative(process.cwd(), file);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) {
      if (spec === 'vscode' || spec.startsWith('vscode/')) problems.push(`${where}: imports vscode (src/api never does)`);
      else if (!builtins.has(spec.replace(/^node:/, '')) && spec.startsWith('node:')) problems.push(`${where}: imports ${spec}, which is not a Node module`);
      continue;
    }
    const target = resolveImport(file, spec);
    if (!target.startsWith(apiDir + sep)) {
      problems.push(`${where}: imports ${spec}, outside src/api`);
      continue;
    }
    const to = layerOf(target);
    const toName = relative(apiDir, target).replace(/\.ts$/, '');
    if (layer === 'transport' && to !== 'transport' && !(to === 'top' && SHARED.has(toName))) {
      problems.push(`${where}: the transport imports ${toName} (it knows nothing of parsers, sessions or kinds)`);
    }
    if (layer === 'parse' && (to === 'session' || to.startsWith('kinds'))) problems.push(`${where}: the parser core imports ${toName} (the kinds give it their parsers)`);
    if (layer === 'openapi' && (to === 'session' || to === 'transport' || to.startsWith('kinds'))) {
      problems.push(`${where}: the OpenAPI reader imports ${toName} (it reads documents and bodies; the kinds give it their style)`);
    }
    if (layer.startsWith('kinds/') && to.startsWith('kinds/') && to !== layer) problems.push(`${where}: the kind ${layer} imports another kind, ${toName}`);
    if (layer === 'scripts' && to !== 'scripts' && !(to === 'top' && SHARED.has(toName)) && toName !== 'kinds/registry' && toName !== 'session/strategy') {
      problems.push(`${where}: Generate Script imports ${toName} (it knows the kinds through kinds/registry and makes no request)`);
    }
    if (layer !== 'top' && to !== 'top' && layer !== to) {
      if (!edges.has(layer)) edges.set(layer, new Map());
      if (!edges.get(layer).has(to)) edges.get(layer).set(to, where);
    }
  }
}

// A loop between folders: a path from a layer back to itself.
const reported = new Set();
for (const start of edges.keys()) {
  const stack = [[start, [start]]];
  const visited = new Set();
  while (stack.length) {
    const [node, path] = stack.pop();
    for (const next of edges.get(node)?.keys() ?? []) {
      if (next === start) {
        const key = [...path].sort().join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push(`a loop between folders: ${[...path, start].join(' → ')} (${edges.get(node).get(next)})`);
        }
      } else if (!visited.has(next)) {
        visited.add(next);
        stack.push([next, [...path, next]]);
      }
    }
  }
}

if (problems.length) {
  for (const p of problems) process.stderr.write(`check-layers: ${p}\n`);
  process.exit(1);
}
process.stdout.write(`check-layers: ${relative(process.cwd(), apiDir) || '.'}: ${edges.size} layers, no import against the rules\n`);
