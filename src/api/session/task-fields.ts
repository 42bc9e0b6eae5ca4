// Reading a task's document (EM Task, VSPC async action, VBR session) from the parsed resource, whatever its shape.
import type { Field, Resource } from '../resource';

/** The value at a path of fields (`Result`, `Success`), if it is a plain value; JSON's `null` reads as none. */
export function fieldAt(resource: Resource | undefined, ...path: string[]): string | undefined {
  let fields: readonly Field[] | undefined = resource?.fields;
  let found: Field | undefined;
  for (const name of path) {
    found = fields?.find((f) => f.name === name);
    fields = found?.children;
  }
  const value = found?.value;
  return value === undefined || value === 'null' ? undefined : value;
}

/** `https://h/api/v1/jobs/1/start` + `sessions/9` → `https://h/api/v1/sessions/9` (the path up to `marker`, kept). */
export function underApi(url: string, marker: RegExp, rest: string): string | undefined {
  try {
    const u = new URL(url);
    const m = marker.exec(u.pathname);
    if (!m) return undefined;
    return new URL(`${u.pathname.slice(0, m.index + m[0].length).replace(/\/?$/, '/')}${rest}`, u.origin).href;
  } catch {
    return undefined;
  }
}
