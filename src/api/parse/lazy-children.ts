// The children of a list, made only when read. A list of 600,000 items must not exist as 600,000 objects (several
// hundred megabytes in a process every extension shares) when the tree shows 500 rows of it: each child is built from
// its part of the body the first time it is read, then kept.
import type { Resource } from '../resource';
import { Slices } from './slices';

/** Canonical array index (`"0"`, `"17"`): what a property key must be to name an element. */
const INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * An array of `count` children whose element `i` is `build(i)`, made on first read and then kept (so the same child
 * is the same object every time). It is a real array to every reader (`Array.isArray`, `length`, indexing, `slice`,
 * `for…of`, `map`, `assert.deepStrictEqual`): only reading every element builds every child. It is read-only.
 * It cannot be sent to another thread (a Proxy is not cloneable): only the thread that holds the body makes one.
 */
export function lazyChildren(count: number, build: (index: number) => Resource): Resource[] {
  return lazyArray(count, build);
}

/** An array whose element `i` is `build(i)`, made on first read and kept (see lazyChildren). */
export function lazyArray<T>(count: number, build: (index: number) => T): T[] {
  const made: T[] = new Array<T>(count);
  const indexOf = (key: string | symbol): number => {
    if (typeof key !== 'string' || !INDEX.test(key)) return -1;
    const i = Number(key);
    return i < count ? i : -1;
  };
  const element = (i: number): T => {
    if (!(i in made)) made[i] = build(i);
    return made[i];
  };
  const list = new Proxy(made, {
    get(target, key, receiver) {
      const i = indexOf(key);
      return i >= 0 ? element(i) : Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return indexOf(key) >= 0 || Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      const i = indexOf(key);
      if (i >= 0) element(i);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      const keys: Array<string | symbol> = [];
      for (let i = 0; i < count; i++) keys.push(String(i));
      return [...keys, ...Reflect.ownKeys(target).filter((k) => indexOf(k) < 0)];
    },
    set() {
      return false;
    },
    defineProperty() {
      return false;
    },
    deleteProperty() {
      return false;
    },
  });
  LAZY.add(list);
  return list;
}

const LAZY = new WeakSet<readonly unknown[]>();

/** True for an array made by lazyArray (children by lazyChildren): a reader that needs only some of it should not read it all. */
export function isLazy(children: readonly unknown[]): boolean {
  return LAZY.has(children);
}

/**
 * Reads the elements `start` to `end` of a lazy array, letting other work run every few milliseconds (a tree shows
 * 500 rows at once: made in one go they would hold the extension host's thread for a noticeable time). Does nothing
 * for any other array. Stops early when `signal` is aborted; what is read is kept.
 */
export async function readAhead(list: readonly unknown[], start: number, end: number, signal?: AbortSignal): Promise<void> {
  if (!isLazy(list)) return;
  const slices = new Slices();
  for (let i = Math.max(0, start); i < Math.min(end, list.length); i++) {
    void list[i];
    if (slices.due()) {
      await slices.next();
      if (signal?.aborted) return;
    }
  }
}
