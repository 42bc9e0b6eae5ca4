// The code activation does not run, loaded from a file beside the extension's bundle the first time it is needed
// (dist/ui-parts.js, see scripts/build.mjs and ui-parts.ts): as undici, the XML library and the script generator are.
import type * as UiParts from './ui-parts';
import { sharedModules } from './shared-modules';

type Part<T> = T | ((modules: Record<string, unknown>) => T);

let ui: typeof UiParts | undefined;

/** What ui-parts.ts exports, loaded the first time. */
export function uiParts(): typeof UiParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ui ??= part(require('./ui-parts') as Part<typeof UiParts>));
}

/** The same, if something has loaded it already (nothing to forget in a part that never loaded). */
export function uiPartsIfLoaded(): typeof UiParts | undefined {
  return ui;
}

/**
 * In the bundle, a part is a function of the modules it shares with the extension's bundle (the same classes and the
 * same module state, not copies: scripts/build.mjs); from tsc's output (the unit tests), the module itself.
 */
function part<T>(loaded: Part<T>): T {
  return typeof loaded === 'function' ? (loaded as (modules: Record<string, unknown>) => T)(sharedModules()) : (loaded as T);
}
