/**
 * The peer links' tunables, apart from the code that uses them: NodeOptions names these types,
 * and the node's public declarations must not reach modules that import `ws` (a TypeScript user
 * of memoconductor/node then needs no @types/ws).
 */

/** Live-delta batching and backpressure of a peer link (link.ts). */
export type LinkOptions = {
  batchMs: number;
  maxBatch: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  /** Objects per sync frame (sync-chunks.ts); a test knob (1 makes a receiver hold transactions it has part of). */
  syncObjectsPerFrame: number;
};

export const DEFAULT_LINK_OPTIONS: LinkOptions = { batchMs: 0, maxBatch: 512, highWaterBytes: 4 * 1024 * 1024, lowWaterBytes: 512 * 1024, syncObjectsPerFrame: 2000 };

/**
 * Redial back-off of a peer URL (dialer.ts): exponential from `baseMs`, capped at `capMs`; after
 * the peer refused this node (another schema or protocol version, or the URL is this node
 * itself) every `refusedMs` instead — a refusal lasts until an operator restarts one side.
 */
export type BackoffOptions = { baseMs: number; capMs: number; refusedMs: number };
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 5000, refusedMs: 60_000 };
