// The modules a part of the extension loaded later (ui-parts) takes from the extension's bundle rather than holding
// copies of its own: in the bundle, scripts/build.mjs generates this module (each module by its path under the project,
// its namespace object). Compiled by tsc (the unit tests) there is one copy of every module: nothing to share.
export function sharedModules(): Record<string, unknown> {
  return {};
}
