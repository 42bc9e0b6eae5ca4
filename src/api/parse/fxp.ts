// fast-xml-parser, loaded the first time XML is read or pretty-printed rather than when the extension activates.
import type * as Fxp from 'fast-xml-parser';

let loaded: typeof Fxp | undefined;

export function fastXmlParser(): typeof Fxp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('fast-xml-parser') as typeof Fxp);
}
