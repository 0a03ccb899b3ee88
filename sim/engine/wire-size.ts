/**
 * Bytes a message would take on the wire (stats.metadataBytes): the CRDT's own codec when it has
 * one (builtins; its `size`, which builds no bytes, when it offers one), else the UTF-8 length of its JSON, with Maps as entry arrays and Sets as arrays
 * so that a plugin's Map-based state is not counted as "{}".
 */
import type { StateCrdt } from "../../core/contract.ts";

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...value];
  if (value instanceof Set) return [...value];
  if (typeof value === "bigint") return value.toString();
  return value;
}

export function jsonWireSize(x: unknown): number {
  const text = JSON.stringify(x, replacer);
  return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
}

export function wireSizer(crdt: StateCrdt<any, unknown>): (state: unknown) => number {
  const codec = crdt.codec;
  // Every update is sized once per broadcast: building its bytes just to count them was a
  // visible share of the engine's time.
  if (codec?.size) return codec.size.bind(codec);
  if (codec) return (state) => codec.encode(state).length;
  return jsonWireSize;
}
