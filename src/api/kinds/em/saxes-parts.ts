// saxes, a conformant streaming XML parser. The extension's build puts this module in a file of its own
// (dist/saxes-parts.js), loaded by the parser thread with the first large XML body (xml-list-scan.ts); the command
// line and the parser thread's own bundle carry it. The version is pinned in package.json.
export { SaxesParser } from 'saxes';
