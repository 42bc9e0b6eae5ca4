// A JSON object of an OpenAPI document or body, as the readers here take it apart.
export type Plain = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
