/**
 * Catch-up between two real nodes after big transactions (bench/suites/node-txn.ts; issue 18): A
 * (in this process, its own SQLite store, group commit) makes `txns` transactions each writing
 * all `keys` objects while B does not exist; then B opens, dials A and catches up through sync
 * frames of one object each (`--test-sync-objects-per-frame 1`, as cluster mode's RAMP tests),
 * with a digest every `digestMs` (cluster mode's 100 ms). Measured from B's open until B holds
 * nothing and shows A's last transaction on every key; also the sync objects B merged or held
 * (`stats().synced`): one round needs `keys`, every digest re-answered while the held dots stay
 * out of B's knowledge adds `keys` more.
 *
 * Run alone: `nice npx tsx bench/txn-catch-up.ts [keys] [txns]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openNode, type Node, type NodeOptions } from "../node/index.ts";

const SCHEMA = { collections: { kv: { type: "record", fields: { v: "lww-register" } } } };
const ms = () => Number(process.hrtime.bigint()) / 1e6;

export type CatchUp = { ms: number; syncedObjects: number; keys: number; txns: number };

export async function catchUp(keys: number, txns: number, digestMs = 100, limitMs = 180_000): Promise<CatchUp> {
  const dirs: string[] = [];
  const node = (o: Partial<NodeOptions>): Promise<Node> => {
    const dir = mkdtempSync(join(tmpdir(), "mc-bench-catchup-"));
    dirs.push(dir);
    return openNode({ dir, schema: SCHEMA, log: () => {}, digestMs, ...o });
  };
  const ids = Array.from({ length: keys }, (_, i) => `k${String(i).padStart(4, "0")}`);
  const a = await node({ link: { syncObjectsPerFrame: 1 } });
  let b: Node | undefined;
  try {
    for (let n = 1; n <= txns; n++) await a.txn(ids.map((id) => ({ collection: "kv", id, op: "set", args: ["v", n] })));
    const t0 = ms();
    b = await node({ peers: [a.url] });
    const keysOf = ids.map((id) => ({ collection: "kv", id }));
    for (;;) {
      if (ms() - t0 > limitMs) throw new Error(`catchUp(${keys}, ${txns}): not caught up after ${limitMs} ms (${b.stats().prepared} held)`);
      if (b.stats().prepared === 0) {
        const values = (await b.getMany(keysOf)) as ({ v?: unknown } | null)[];
        if (values.every((v) => v?.v === txns)) break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const took = ms() - t0;
    const s = b.stats().synced;
    return { ms: took, syncedObjects: s.deltaObjects + s.wholeObjects, keys, txns };
  } finally {
    await b?.close();
    await a.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("txn-catch-up.ts")) {
  const [k, t] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await catchUp(Number(k ?? 150), Number(t ?? 4)))}\n`);
}
