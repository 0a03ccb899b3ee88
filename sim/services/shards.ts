/**
 * Which RAMP shard owns a key: the scenario's explicit `services.ramp.keys` map, else a hash of
 * the key (FNV-1a, 32 bits) over the declared shards. Shared by the loader (which rejects a
 * transaction on an unmapped key) and the engine, so both agree by construction.
 */
import type { ServicesSpec } from "../scenario/types.ts";

type RampSpec = NonNullable<ServicesSpec["ramp"]>;

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The shard function of a RAMP spec. With an explicit `keys` map an unlisted key maps to "",
 * which is no server: the core client rejects it (the loader has already reported it).
 */
export function shardFunction(spec: RampSpec): (key: string) => string {
  const keys = spec.keys;
  if (keys !== undefined) return (key) => (Object.prototype.hasOwnProperty.call(keys, key) ? keys[key]! : "");
  const shards = spec.shards;
  return (key) => shards[fnv1a(key) % shards.length]!;
}
