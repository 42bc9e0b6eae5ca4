// fast-xml-parser, loaded the first time XML is read or pretty-printed rather than when the extension activates
// (see fxp-parts.ts).
import type * as Fxp from 'fast-xml-parser';

type FxpParts = Pick<typeof Fxp, 'XMLParser' | 'XMLBuilder' | 'XMLValidator'>;

let loaded: FxpParts | undefined;

export function fastXmlParser(): FxpParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./fxp-parts') as FxpParts);
}
