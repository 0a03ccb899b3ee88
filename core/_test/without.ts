/**
 * A copy of `o` without key `k`: how a test drops an optional field from a fixture. Setting it to
 * undefined instead is not the same object (the key is still there) and, with
 * exactOptionalPropertyTypes, not the same type either.
 */
export function without<T extends object, K extends keyof T>(o: T, k: K): Omit<T, K> {
  const { [k]: _dropped, ...rest } = o;
  return rest;
}
