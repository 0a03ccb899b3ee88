/**
 * Hostile bytes on a node's socket: random bytes, valid frames with a bit flipped or cut short,
 * text messages, frames of another protocol version. Each time the node closes that connection
 * and logs one line, its store is exactly as before (digest and values), and it goes on serving.
 * Randomized: a failure prints its seed and the command that replays it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { resolveBuiltin, StoreReplica, type StoreCrdt } from "../core/index.ts";
import { waitFor } from "./_test/wait.ts";
import { connect } from "./client.ts";
import { type Node, openNode } from "./node.ts";
import { frameCodec, PROTOCOL_VERSION, schemaFingerprint } from "./protocol/index.ts";

const SCHEMA = { collections: { customers: "record" } };
const crdt = resolveBuiltin({ type: "store", ...SCHEMA }) as unknown as StoreCrdt;
const codec = frameCodec(new StoreReplica("x", crdt).codecs);

let node: Node;
const logs: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "mc-fuzz-"));
beforeAll(async () => {
  node = await openNode({ dir, schema: SCHEMA, log: (l) => void logs.push(l) });
  await node.update("customers", "A", "set", ["phone", "555-0101"]);
});
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A peer's valid frames (which the fuzzer then breaks): its hello, and a batch of its deltas. */
function validFrames(): Uint8Array[] {
  const peer = new StoreReplica("fuzzer", crdt, () => 1);
  const deltas = [peer.update({ op: "set", args: ["customers", "A", "phone", "555-0199"] }), peer.update({ op: "inc", args: ["customers", "B", "views", 4] })];
  return [
    codec.encode({ type: "hello", nodeId: "fuzzer", schema: schemaFingerprint(SCHEMA), sequences: [], digest: peer.digest() }),
    codec.encode({ type: "deltas", deltas }),
    codec.encode({ type: "request", rid: 1, body: { type: "update", collection: "customers", id: "A", op: "set", args: ["phone", "555-0123"] } }),
  ];
}

/** Opens a raw socket, sends `messages`, and resolves with the close code and whatever the node sent back. */
function sendRaw(messages: (Uint8Array | string)[]): Promise<{ code: number; received: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(node.url);
    const received: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error("timed out after 10 s waiting for the node to close the connection")), 10_000);
    ws.on("open", () => messages.forEach((m) => ws.send(m)));
    ws.on("message", (d: Buffer) => received.push(d));
    ws.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, received });
    });
    ws.on("error", () => {});
  });
}

const snapshot = async () => JSON.stringify({ list: await node.list("customers") });

describe("a node under malformed frames", () => {
  const frames = validFrames();

  it("closes the connection, logs one line, keeps its state and keeps serving", async () => {
    const before = await snapshot();
    const broken = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 200 }),
      fc.tuple(fc.nat({ max: frames.length - 1 }), fc.nat(), fc.nat({ max: 7 })).map(([w, at, bit]) => {
        const b = Uint8Array.from(frames[w]!);
        b[at % b.length]! ^= 1 << bit;
        return b;
      }),
      fc.tuple(fc.nat({ max: frames.length - 1 }), fc.nat()).map(([w, at]) => frames[w]!.subarray(0, at % frames[w]!.length)),
    );
    // Each sample opens a socket: a few dozen keep the test short; the codec's own fuzz test runs thousands.
    const samples = fc.sample(broken, { numRuns: 40, seed: Number(process.env.FC_SEED ?? 18) });
    for (const bytes of samples) {
      const logged = logs.length;
      const r = await sendRaw([bytes]);
      expect(r.code, `seed ${process.env.FC_SEED ?? 18}: bytes ${Buffer.from(bytes).toString("hex")}`).toBe(1002);
      expect(logs.length).toBe(logged + 1);
      expect(logs.at(-1)).toMatch(/^closing the connection to .*cannot decode node frame/);
    }
    // A text message, and a valid hello followed by garbage (the handshake gets no further).
    expect((await sendRaw(["hello"])).code).toBe(1002);
    expect((await sendRaw([frames[0]!, Uint8Array.of(1, 2, 3)])).code).toBe(1002);
    expect(await snapshot()).toBe(before);
    const c = await connect(node.url);
    await c.update("customers", "A", "set", ["email", "still@alive"]);
    expect(await c.get("customers", "A")).toMatchObject({ email: "still@alive", phone: ["555-0101"] });
    await c.close();
  });

  it("refuses a frame of another protocol version with a message naming both versions", async () => {
    const future = frameCodec(new StoreReplica("x", crdt).codecs, PROTOCOL_VERSION + 1);
    const r = await sendRaw([future.encode({ type: "hello", nodeId: "future", schema: schemaFingerprint(SCHEMA), sequences: [], digest: new Map() })]);
    expect(r.code).toBe(1002);
    const refusal = codec.decode(new Uint8Array(r.received[0]!));
    expect(refusal).toEqual({ type: "refuse", reason: expect.stringMatching(new RegExp(`speaks version ${PROTOCOL_VERSION + 1}, node .* speaks version ${PROTOCOL_VERSION}`)) });
    await waitFor("the node to log the refusal", () => logs.some((l) => l.startsWith("refusing") && l.includes(`version ${PROTOCOL_VERSION + 1}`)));
  });
});
