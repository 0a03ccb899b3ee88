/**
 * node:crypto in the browser build: the trace hash (sim/engine/trace-hash.ts) is a synchronous
 * sha256 over incremental updates, which WebCrypto (async, one-shot) cannot give; @noble/hashes
 * computes the same digest, so the page shows the traceHash `memoconductor run` prints.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export type Hash = { update(data: Uint8Array): Hash; digest(encoding: "hex"): string; copy(): Hash };

type Sha256 = ReturnType<typeof sha256.create>;

export function createHash(algorithm: string): Hash {
  if (algorithm !== "sha256") throw new Error(`the playground's createHash knows sha256 only, not ${algorithm}`);
  return wrap(sha256.create());
}

/** `copy()`: a forked run (sim/engine/fork.ts) goes on hashing from the same state. */
function wrap(h: Sha256): Hash {
  const hash: Hash = {
    update(data) {
      h.update(data);
      return hash;
    },
    digest: () => bytesToHex(h.digest()),
    copy: () => wrap(h.clone()),
  };
  return hash;
}
