/**
 * A StoreReplica's durable image: the store state, each collection's causal context and each
 * object's version vector — everything but the delta log, which is volatile by design (a
 * restored replica answers digests with whole objects until its log refills). Written through
 * a storage interface (core/storage.ts) it lets a node restart with everything it had applied.
 *
 * Encoding: header, replica id, the store state (length-prefixed, unchecked store frame), then per
 * collection with knowledge, by ascending index: index, causal context, object count, and per
 * object by ascending id: id, version vector. The decoder checks that the version vectors name
 * exactly the objects of the state, so a snapshot never restores half a replica.
 */
import { CausalContext } from "../clock/causal-context.ts";
import { readCausalContext, readVersionVector, writeCausalContext, writeVersionVector } from "../clock/codec.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import type { Codec } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import { readNested, writeNested } from "../crdt/_internals/nested.ts";
import { compareStrings } from "../util/json.ts";
import type { StoreCrdt, StoreState } from "./store-crdt.ts";

export type StoreSnapshot = {
  id: string;
  state: StoreState;
  known: Map<string, CausalContext>;
  objectVv: Map<string, Map<string, VersionVector>>;
};

export function snapshotCodec(store: StoreCrdt): Codec<StoreSnapshot> {
  const names = store.collections;
  return framedCodec<StoreSnapshot>(
    "store-snapshot",
    (w, s) => {
      w.string(s.id);
      writeNested(w, store, s.state);
      // A collection with knowledge or objects (objects merged from an answer this replica could
      // not vouch for leave its knowledge empty).
      const present = names.filter((c) => (s.known.has(c) && !s.known.get(c)!.isEmpty()) || (s.state.get(c)?.size ?? 0) > 0);
      w.uint(present.length);
      for (const c of present) {
        w.uint(names.indexOf(c));
        writeCausalContext(w, s.known.get(c) ?? new CausalContext());
        const vvs = s.objectVv.get(c) ?? new Map<string, VersionVector>();
        const ids = [...vvs.keys()].filter((id) => s.state.get(c)?.has(id)).sort(compareStrings);
        w.uint(ids.length);
        for (const id of ids) {
          w.string(id);
          writeVersionVector(w, vvs.get(id)!);
        }
      }
    },
    (r) => {
      const id = r.string();
      if (id === "") r.fail("empty replica id");
      const state = readNested(r, store, "store state").state as StoreState;
      const known = new Map<string, CausalContext>();
      const objectVv = new Map<string, Map<string, VersionVector>>();
      const n = r.count(2);
      let prev = -1;
      for (let i = 0; i < n; i++) {
        const at = r.uint();
        const c = names[at] ?? r.fail(`collection index ${at} out of range (the store has ${names.length} collections: ${names.join(", ")})`);
        if (at <= prev) r.fail("collections not strictly ascending");
        prev = at;
        known.set(c, readCausalContext(r));
        const count = r.count(2);
        const vvs = new Map<string, VersionVector>();
        let last: string | undefined;
        for (let j = 0; j < count; j++) {
          const oid = r.string();
          if (last !== undefined && compareStrings(last, oid) >= 0) r.fail(`collection "${c}": ids not strictly ascending`);
          last = oid;
          if (!state.get(c)?.has(oid)) r.fail(`${c}["${oid}"] has a version vector but no state`);
          vvs.set(oid, readVersionVector(r));
        }
        objectVv.set(c, vvs);
      }
      for (const [c, objects] of state) for (const oid of objects.keys()) if (!objectVv.get(c)?.has(oid)) r.fail(`${c}["${oid}"] has a state but no version vector`);
      return { id, state, known, objectVv };
    },
  );
}
