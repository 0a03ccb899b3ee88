/**
 * A ctx for plugin calls made outside a simulated node — the law checker's histories, the
 * loader's dry run — with the same `random()` a node gives (contract: always present wherever
 * the harness calls a plugin). Its stream is seeded by a fixed name, so the same history draws
 * the same numbers every time it is evaluated: fast-check's shrinking replays histories and must
 * see the plugin behave as it did.
 */
import type { Ctx } from "../../core/contract.ts";
import { Rng } from "../rng.ts";

/** `where` names the tool (`laws`, `load`); `now` is the virtual time the call sees. */
export function detachedCtx(where: string, replica: string, now: () => number = () => 0): Ctx {
  const rng = new Rng(`${where}/plugin/${replica}`, 0);
  return { replica, now, random: () => rng.float() };
}
