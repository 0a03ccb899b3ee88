/**
 * The node-disk benchmark's workload, shared by the suite and its open-time child: customer
 * records with a phone (MV register) and an email (LWW register), written by a StoreReplica over
 * the node store's backing — the calls a node makes for a client's `update`.
 */
import { resolveBuiltin, type StoreBacking, type StoreCrdt, StoreReplica } from "../core/index.ts";

export const SCHEMA = { collections: { customers: { type: "record", fields: { email: "lww-register", phone: "mv-register" } } } };
export const crdt = resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt;
export const NODE = "bench-node";

/** The node's replica over a backing; its clock is the write's number (LWW needs one). */
export function replicaOver(backing: StoreBacking): { replica: StoreReplica; setField(id: string, field: "phone" | "email", value: string, now: number): void } {
  let clock = 0;
  const replica = new StoreReplica(NODE, crdt, () => clock, backing);
  return {
    replica,
    setField(id, field, value, now) {
      clock = now;
      replica.update({ op: "set", args: ["customers", id, field, value] });
    },
  };
}

export const customerId = (i: number) => `customer-${String(i).padStart(7, "0")}`;
export const phoneOf = (i: number) => `+1-555-${String(i % 10_000_000).padStart(7, "0")}`;
export const emailOf = (i: number) => `customer${i}@example.com`;
