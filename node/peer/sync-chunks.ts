/**
 * A sync answer cut into frames of at most `perFrame` objects, so that catching up a large store
 * never needs one frame bigger than the frame limit, and the receiver applies it as it arrives.
 *
 * Safe to apply chunk by chunk, and to lose the tail: every chunk but a part's last carries the
 * part's `base` as its `known`, so applying it merges its objects and raises no knowledge (the
 * replica raises knowledge to `known` only, and already holds `base`). Only the last chunk of a
 * part carries the sender's real `known`. A connection that drops after some chunks leaves the
 * receiver with more objects and the same knowledge: its next digest asks for the rest again.
 */
import type { SyncMessage } from "../../core/index.ts";

export const OBJECTS_PER_SYNC_FRAME = 2000;

export function syncChunks(msg: SyncMessage, perFrame = OBJECTS_PER_SYNC_FRAME): SyncMessage[] {
  const out: SyncMessage[] = [];
  for (const part of msg.parts) {
    if (part.objects.length <= perFrame) {
      out.push({ parts: [part] });
      continue;
    }
    for (let at = 0; at < part.objects.length; at += perFrame) {
      const last = at + perFrame >= part.objects.length;
      out.push({ parts: [{ ...part, known: last ? part.known : part.base, objects: part.objects.slice(at, at + perFrame) }] });
    }
  }
  return out;
}
