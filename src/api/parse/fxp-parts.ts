// fast-xml-parser's reader and writer. The extension's build puts this module in a file of its own
// (dist/fxp-parts.js) that is loaded with the first XML body (parse/fxp.ts), so activating the extension neither reads
// nor compiles the XML library; the command line and the parser thread bundle it. The version is pinned in package.json.
export { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
