/**
 * Binary encodings of version vectors and causal contexts, standalone (with a header) and
 * embeddable in other types' encodings (`write…`/`read…`, no header).
 *
 * Both are canonical (replica ids sorted, zeros never written, the cloud in its compacted form),
 * so equal values give equal bytes; decoders refuse any other byte string with a DecodeError.
 *
 * Layout: vector = count, then (id, counter ≥ 1) by ascending id.
 *         context = vector, then cloud count, then per replica by ascending id:
 *                   (id, dot count ≥ 1, counters strictly ascending, each > vv[id] + 1).
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Codec } from "../contract.ts";
import { Reader } from "../encoding/reader.ts";
import { Writer } from "../encoding/writer.ts";
import { compareStrings } from "../util/json.ts";
import { CausalContext } from "./causal-context.ts";
import type { Dot } from "./dot.ts";
import { VersionVector } from "./version-vector.ts";

export function writeVersionVector(w: Writer, vv: VersionVector): void {
  // One replica (a single writer's vector, the common case): nothing to sort, nothing to allocate.
  if (vv.size <= 1) {
    w.uint(vv.size);
    for (const r of vv.replicaIds()) w.string(r).uint(vv.get(r));
    return;
  }
  const entries = vv.entries();
  w.uint(entries.length);
  for (const [r, n] of entries) w.string(r).uint(n);
}

export function readVersionVector(r: Reader): VersionVector {
  const n = r.count(2);
  const out = new VersionVector();
  let prev: string | undefined;
  for (let i = 0; i < n; i++) {
    const id = r.string();
    if (prev !== undefined && compareStrings(prev, id) >= 0) r.fail(`version vector ids not strictly sorted ("${prev}" then "${id}")`);
    const count = r.uint();
    if (count === 0) r.fail(`zero counter for replica "${id}" (zeros are never stored)`);
    out.set(id, count);
    prev = id;
  }
  return out;
}

export function writeCausalContext(w: Writer, cc: CausalContext): void {
  writeVersionVector(w, cc.vv);
  // Per replica by ascending id, its counters ascending (cloud()'s order, without its tuples).
  const ids = cc.cloudReplicas();
  w.uint(ids.length);
  for (const id of ids) {
    const counters = [...cc.cloudOf(id)!].sort(ascending);
    w.string(id).uint(counters.length);
    for (const c of counters) w.uint(c);
  }
}

const ascending = (a: number, b: number) => a - b;

export function readCausalContext(r: Reader): CausalContext {
  const vv = readVersionVector(r);
  const groups = r.count(3);
  const cloud: Dot[] = [];
  let prev: string | undefined;
  for (let g = 0; g < groups; g++) {
    const id = r.string();
    if (prev !== undefined && compareStrings(prev, id) >= 0) r.fail(`dot cloud ids not strictly sorted ("${prev}" then "${id}")`);
    prev = id;
    const n = r.count(1);
    if (n === 0) r.fail(`empty dot cloud for replica "${id}"`);
    // Compacted form: the first counter leaves a gap after the vector, the rest ascend.
    let last = vv.get(id) + 1;
    for (let i = 0; i < n; i++) {
      const c = r.uint();
      if (c <= last)
        r.fail(i === 0 ? `cloud dot (${id}, ${c}) is not beyond a gap (vector has ${id}: ${vv.get(id)})` : `cloud counters of "${id}" not strictly ascending (${last} then ${c})`);
      cloud.push([id, c]);
      last = c;
    }
  }
  return CausalContext.from({ vv: vv.toJSON(), cloud });
}

export const versionVectorCodec: Codec<VersionVector> = framedCodec("version-vector", writeVersionVector, readVersionVector);

export const causalContextCodec: Codec<CausalContext> = framedCodec("causal-context", writeCausalContext, readCausalContext);
