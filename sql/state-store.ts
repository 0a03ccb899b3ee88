/**
 * A SqlStore over a bare store state (what the simulator's node holds): reads through the store
 * type's values, writes through a callback (the simulator's update path, which also sends the
 * delta and tells the checkers).
 */
import type { Op, StoreCrdt, StoreState } from "../core/index.ts";
import type { SqlStore } from "./rows.ts";

export function storeOverState<E>(crdt: StoreCrdt, state: () => StoreState, update: (op: Op) => E): SqlStore<E> {
  return {
    object(collection, id) {
      const s = state().get(collection)?.get(id);
      return s === undefined ? undefined : crdt.typeOf(collection).value(s);
    },
    ids(collection) {
      const objects = state().get(collection);
      return objects ? [...objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
    },
    update,
  };
}
