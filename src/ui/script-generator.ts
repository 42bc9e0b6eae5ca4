// The script generator, loaded with the first Generate Script rather than when the extension activates (see
// script-parts.ts).
import type * as Parts from './script-parts';

let loaded: typeof Parts | undefined;

export function scriptGenerator(): typeof Parts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./script-parts') as typeof Parts);
}
