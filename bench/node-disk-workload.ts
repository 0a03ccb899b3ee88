/**
 * The node-disk benchmark's workload, shared by the suite and its open-time child: customer
 * records with a phone (MV register) and an email (LWW register), written the way a StoreReplica
 * writes through its backing (read the live object, vector and knowledge; update; put them back;
 * log the delta).
 */
import { CausalContext, resolveBuiltin, type StoreBacking, type StoreCrdt, VersionVector } from "../core/index.ts";

export const SCHEMA = { collections: { customers: { type: "record", fields: { email: "lww-register", phone: "mv-register" } } } };
export const crdt = resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt;
export const NODE = "bench-node";

const customers = crdt.typeOf("customers");

/** Sets one field of customers[id]: one update, one dot, one logged delta. */
export function setField(b: StoreBacking, id: string, field: "phone" | "email", value: string, now: number): void {
  const cc = b.knowledge("customers") ?? new CausalContext();
  const seq = cc.next(NODE)[1];
  const { state, delta } = customers.update(b.object("customers", id) ?? customers.init(NODE), { op: "set", args: [field, value] }, { replica: NODE, now: () => now });
  const vv = b.vv("customers", id) ?? new VersionVector();
  vv.set(NODE, seq);
  b.put("customers", id, state, vv);
  b.logPut("customers", NODE, seq, { id, delta });
  b.putKnowledge("customers", cc);
}

export const customerId = (i: number) => `customer-${String(i).padStart(7, "0")}`;
export const phoneOf = (i: number) => `+1-555-${String(i % 10_000_000).padStart(7, "0")}`;
export const emailOf = (i: number) => `customer${i}@example.com`;
