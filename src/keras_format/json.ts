/** A parsed JSON value, as found in a model.json. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A parsed JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A deep copy of a JSON value: the normaliser builds its output from copies so
 * that the caller's topology is never mutated. Arrays are made with this
 * realm's Array (`Array.from`, not `map`, which would keep the input's
 * constructor): tfjs tests `instanceof Array`, which fails for JSON parsed in
 * another realm (e.g. by Node's fetch when running under jest or in a vm).
 */
export function cloneJson<T extends Json>(value: T): T {
  if (Array.isArray(value)) {
    return Array.from(value, (v) => cloneJson(v)) as T;
  }
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = cloneJson(v);
    }
    return out as T;
  }
  return value;
}
