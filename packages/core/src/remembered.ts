/**
 * The value `map` holds for `key`, made by `make(key)` and kept the first time. For values
 * derived from an object that is replaced rather than changed (a schema, a session's user, a
 * logger): pass a module-level `make` so that the hot path allocates nothing.
 */
export function remembered<K extends object, V>(map: WeakMap<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make(key);
    map.set(key, value);
  }
  return value;
}

/** A `make` for maps of maps. */
export function newWeakMap<K extends object, V>(): WeakMap<K, V> {
  return new WeakMap<K, V>();
}
