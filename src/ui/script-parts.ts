// The script generator (src/api/scripts/). The extension's build puts this module in a file of its own
// (dist/script-parts.js), loaded the first time a script is generated (script-generator.ts): its templates of three
// languages are a fifth of the code, and activating the extension neither reads nor compiles them.
export { generateScript, looksLikeCollection, ScriptTargetError } from '../api/scripts';
