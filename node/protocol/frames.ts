/**
 * The node protocol's frames (one WebSocket binary message each). Layout:
 *
 *   "MC" (2 bytes) · protocol version (1 byte) · frame type (1 byte) · payload · CRC-32C (4 bytes, LE)
 *
 * The checksum covers everything before it, so a flipped bit or a cut anywhere is a DecodeError
 * before any field is interpreted. Store state travels in core's own encodings (storeCodecs:
 * delta, digest, sync — each framed and checksummed itself) nested as byte strings; client
 * requests and answers as JSON validated with zod (requests.ts).
 *
 * A frame of another protocol version is a ProtocolVersionError (the node refuses the peer with
 * a message naming both versions) — except a refuse frame, whose layout is kept the same in
 * every version so that a refusal can always be read.
 *
 * Decoding builds the whole frame or throws: nothing is applied from a frame that failed.
 */
import { crc32c, DecodeError, type DeltaMessage, Reader, type storeCodecs, type StoreDigest, type SyncMessage, txnKey, type TxnMeta, Writer } from "../../core/index.ts";
import { type Change, changeSchema, type ClientRequest, clientRequestSchema, type ClientResponse, clientResponseSchema } from "./requests.ts";

/** core's message codecs of one store schema. */
type StoreCodecs = ReturnType<typeof storeCodecs>;

/**
 * 3: hello and digest frames carry the sender's pending dots (held until their transactions are
 * whole) beside its digest; a deltas frame and a sync answer's part list their transactions once,
 * deltas and objects naming them by index. 2: store deltas and sync objects may carry transaction metadata. A peer of
 * another version is refused, naming both versions.
 */
export const PROTOCOL_VERSION = 3;
const MAGIC = [0x4d, 0x43]; // "MC"
const WHAT = "node frame";

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An empty digest: no pending dots. */
const NONE: StoreDigest = new Map();

/** A frame larger than this is refused before it is read (a peer cannot make a node allocate without bound). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export const FRAME_TYPES = { hello: 1, deltas: 2, digest: 3, sync: 4, request: 5, response: 6, event: 7, refuse: 8 } as const;
export type FrameType = keyof typeof FRAME_TYPES;

export type Hello = {
  type: "hello";
  nodeId: string;
  /** schemaFingerprint() of the node's store schema. */
  schema: string;
  /** The sequence names this node serves. */
  sequences: string[];
  digest: StoreDigest;
  /** The dots the sender holds back until their transactions are whole (StoreReplica.pending): not to be sent again. Absent when none. */
  pending?: StoreDigest;
};
export type Frame =
  | Hello
  | { type: "deltas"; deltas: DeltaMessage[] }
  /** `reply`: the sender also wants the receiver's digest, to send what the receiver lacks (after backpressure). */
  | { type: "digest"; digest: StoreDigest; reply: boolean; pending?: StoreDigest }
  | { type: "sync"; sync: SyncMessage }
  | { type: "request"; rid: number; body: ClientRequest }
  | { type: "response"; rid: number; body: ClientResponse }
  | { type: "event"; rid: number; change: Change }
  | { type: "refuse"; reason: string };

/** A frame of a protocol version this node does not speak. */
export class ProtocolVersionError extends DecodeError {
  override name = "ProtocolVersionError";
  constructor(readonly version: number) {
    super(WHAT, 2, `protocol version ${version}, this node speaks version ${PROTOCOL_VERSION}`);
  }
}

export type FrameCodec = { encode(frame: Frame): Uint8Array; decode(bytes: Uint8Array): Frame };

/** The frame codec of one store schema (its collections index the store messages); a client, which never sends or takes store frames, passes none. */
export function frameCodec(codecs: StoreCodecs | undefined, version = PROTOCOL_VERSION): FrameCodec {
  return {
    encode(frame) {
      const w = new Writer()
        .byte(MAGIC[0]!)
        .byte(MAGIC[1]!)
        .byte(frame.type === "refuse" ? PROTOCOL_VERSION : version)
        .byte(FRAME_TYPES[frame.type]);
      writePayload(w, frame, codecs);
      return w.u32(crc32c(w.written())).finish();
    },
    decode(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new DecodeError(WHAT, 0, "input is not a Uint8Array");
      if (bytes.length > MAX_FRAME_BYTES) throw new DecodeError(WHAT, 0, `frame of ${bytes.length} bytes exceeds the limit of ${MAX_FRAME_BYTES}`);
      if (bytes.length < 8) throw new DecodeError(WHAT, bytes.length, "unexpected end of input (a frame is at least 8 bytes)");
      if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) throw new DecodeError(WHAT, 0, "not a MemoConductor node frame (bad magic)");
      const end = bytes.length - 4;
      const stored = new DataView(bytes.buffer, bytes.byteOffset + end, 4).getUint32(0, true);
      if (stored !== crc32c(bytes, 0, end)) throw new DecodeError(WHAT, end, "checksum mismatch: the frame was changed or cut");
      const r = new Reader(bytes.subarray(0, end), WHAT);
      r.byte();
      r.byte();
      const v = r.byte();
      const tag = r.byte();
      if (tag === FRAME_TYPES.refuse) return finish(r, { type: "refuse", reason: r.string() });
      if (v !== version) throw new ProtocolVersionError(v);
      return finish(r, readPayload(r, tag, codecs));
    },
  };
}

function fail(type: string): never {
  throw new Error(`a ${type} frame needs the store's codecs`);
}

function finish(r: Reader, f: Frame): Frame {
  r.end();
  return f;
}

function json(w: Writer, x: unknown): void {
  w.string(JSON.stringify(x));
}

function readJson<T>(
  r: Reader,
  schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  what: string,
): T {
  const at = r.offset;
  const text = r.string();
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw new DecodeError(WHAT, at, `${what}: not JSON`);
  }
  const parsed = schema.safeParse(x);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DecodeError(WHAT, at, `${what}: ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** A core message nested as a byte string; its decoder's DecodeError passes through unchanged. */
function nested<T>(r: Reader, decode: (b: Uint8Array) => T): T {
  return decode(r.bytes());
}

function writePayload(w: Writer, f: Frame, codecs: StoreCodecs | undefined): void {
  const c = () => codecs ?? fail(f.type);
  switch (f.type) {
    case "hello":
      w.string(f.nodeId).string(f.schema).uint(f.sequences.length);
      for (const s of f.sequences) w.string(s);
      w.bytes(c().digest.encode(f.digest)).bytes(c().digest.encode(f.pending ?? NONE));
      return;
    case "deltas": {
      // Each delta without its transaction, naming it by index + 1 (0: none) in the frame's table
      // of transactions, written once after the deltas: a k-update transaction's k deltas carried
      // its k members each (k² per frame).
      const table: Uint8Array[] = [];
      const byMeta = new Map<TxnMeta, number>();
      const byKey = new Map<string, number[]>();
      const refOf = (t: TxnMeta): number => {
        const known = byMeta.get(t);
        if (known !== undefined) return known;
        const bytes = c().txn.encode(t);
        const key = txnKey(t);
        let at = byKey.get(key)?.find((i) => equalBytes(table[i]!, bytes));
        if (at === undefined) {
          at = table.push(bytes) - 1;
          byKey.set(key, [...(byKey.get(key) ?? []), at]);
        }
        byMeta.set(t, at);
        return at;
      };
      w.uint(f.deltas.length);
      for (const d of f.deltas) {
        if (!d.txn) {
          w.uint(0).bytes(c().delta.encode(d));
          continue;
        }
        const { txn, ...plain } = d;
        w.uint(refOf(txn) + 1).bytes(c().delta.encode(plain));
      }
      w.uint(table.length);
      for (const t of table) w.bytes(t);
      return;
    }
    case "digest":
      w.byte(f.reply ? 1 : 0)
        .bytes(c().digest.encode(f.digest))
        .bytes(c().digest.encode(f.pending ?? NONE));
      return;
    case "sync":
      w.bytes(c().sync.encode(f.sync));
      return;
    case "request":
      w.uint(f.rid);
      json(w, f.body);
      return;
    case "response":
      w.uint(f.rid);
      json(w, f.body);
      return;
    case "event":
      w.uint(f.rid);
      json(w, f.change);
      return;
    case "refuse":
      w.string(f.reason);
      return;
  }
}

function readPayload(r: Reader, tag: number, codecs: StoreCodecs | undefined): Frame {
  const c = () => codecs ?? r.fail("a store frame where none is taken (a client)");
  switch (tag) {
    case FRAME_TYPES.hello: {
      const nodeId = r.string();
      if (nodeId === "") r.fail("hello: empty node id");
      const schema = r.string();
      const n = r.count(1);
      const sequences: string[] = [];
      for (let i = 0; i < n; i++) {
        const s = r.string();
        if (s === "") r.fail("hello: empty sequence name");
        sequences.push(s);
      }
      const digest = nested(r, c().digest.decode);
      const pending = nested(r, c().digest.decode);
      return pending.size > 0 ? { type: "hello", nodeId, schema, sequences, digest, pending } : { type: "hello", nodeId, schema, sequences, digest };
    }
    case FRAME_TYPES.deltas: {
      const n = r.count(2);
      const deltas: DeltaMessage[] = [];
      const refs: number[] = [];
      for (let i = 0; i < n; i++) {
        const ref = r.uint();
        const d = nested(r, c().delta.decode);
        // The replica would refuse these when applying; refused here, the whole batch is refused before any of it is applied.
        if (d.origin === "") r.fail(`delta ${i}: empty origin`);
        if (d.txn) r.fail(`delta ${i}: its transaction inside the delta (a deltas frame lists them in its table)`);
        deltas.push(d);
        refs.push(ref);
      }
      const m = r.count(1);
      const table: TxnMeta[] = [];
      for (let t = 0; t < m; t++) table.push(nested(r, c().txn.decode));
      const named = new Set<number>();
      refs.forEach((ref, i) => {
        if (ref === 0) return;
        const txn = table[ref - 1] ?? r.fail(`delta ${i}: transaction ${ref - 1} of a table of ${m}`);
        const d = deltas[i]!;
        if (txn.origin !== d.origin) r.fail(`delta ${i}: a transaction of origin "${txn.origin}" on an update of origin "${d.origin}"`);
        if (!txn.members.some((x) => x.collection === d.collection && x.id === d.id && x.seq === d.seq))
          r.fail(`delta ${i}: its transaction does not list it (${d.collection}, "${d.id}", ${d.seq})`);
        named.add(ref - 1);
        d.txn = txn;
      });
      if (named.size < m) r.fail("a transaction no delta names (left out)");
      return { type: "deltas", deltas };
    }
    case FRAME_TYPES.digest: {
      const flag = r.byte();
      if (flag > 1) r.fail(`digest: bad reply flag ${flag}`);
      const digest = nested(r, c().digest.decode);
      const pending = nested(r, c().digest.decode);
      return pending.size > 0 ? { type: "digest", reply: flag === 1, digest, pending } : { type: "digest", reply: flag === 1, digest };
    }
    case FRAME_TYPES.sync:
      return { type: "sync", sync: nested(r, c().sync.decode) };
    case FRAME_TYPES.request:
      return { type: "request", rid: r.uint(), body: readJson(r, clientRequestSchema, "request") };
    case FRAME_TYPES.response:
      return { type: "response", rid: r.uint(), body: readJson(r, clientResponseSchema, "response") as ClientResponse };
    case FRAME_TYPES.event:
      return { type: "event", rid: r.uint(), change: readJson(r, changeSchema, "event") };
    default:
      return r.fail(`unknown frame type ${tag}`);
  }
}
