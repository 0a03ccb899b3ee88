/**
 * Which plugin call is in progress, kept where a supervising thread can read it while the
 * plugin's own thread is busy. A call that never returns never yields to its event loop, so no
 * message could say what it is stuck in; a SharedArrayBuffer read with Atomics can. The writer
 * side costs two Atomics operations per call, cheap next to any plugin method.
 *
 * One slot per thread that runs plugin code (explore's sweep workers each get their own):
 *   [0] the method in progress (an index into METHODS; 0 = none)
 *   [1] how many calls have started (the watchdog tells a stuck call from a busy stream of calls)
 *   [2] the code the plugin passed to process.exit, plus one (0 = it did not call it)
 *   [3] the thread's OS thread id (0 = unknown), for the watchdog to read its CPU time
 *       (thread-cpu.ts): the budget counts the time the call computes, not the time that passes
 * A thread with no slot attached (the CLI's own thread on builtins, library users) only keeps
 * the method name in a variable, for error messages.
 */
export const METHODS = ["", "loading", "init", "update", "merge", "value", "clone", "prepare", "effect", "codec.encode", "codec.decode", "codec.size", "events"] as const;
export type Method = Exclude<(typeof METHODS)[number], "">;

const INDEX = new Map<string, number>(METHODS.map((m, i) => [m, i]));
const FIELDS = 4;
const BYTES = FIELDS * Int32Array.BYTES_PER_ELEMENT;

/** The shared memory for `threads` slots (sent to workers in workerData). */
export function callSlotsBuffer(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(BYTES * threads);
}

export function slotCount(buffer: SharedArrayBuffer): number {
  return buffer.byteLength / BYTES;
}

/** What the supervisor reads of one slot. */
export type SlotState = { method: Method | undefined; calls: number; exitCode: number | undefined; tid: number };

export function readSlot(buffer: SharedArrayBuffer, index: number): SlotState {
  const a = new Int32Array(buffer, index * BYTES, FIELDS);
  const m = Atomics.load(a, 0);
  const exit = Atomics.load(a, 2);
  return { method: m === 0 ? undefined : (METHODS[m] as Method), calls: Atomics.load(a, 1), exitCode: exit === 0 ? undefined : exit - 1, tid: Atomics.load(a, 3) };
}

// This thread's slot, when a supervisor watches it. Module state on purpose: there is exactly
// one per thread, and the loader's plugin wrapper (guard.ts) must find it without every caller
// of the loader passing it down.
let mine: Int32Array | undefined;
let attached: { buffer: SharedArrayBuffer; index: number } | undefined;
let current: Method | undefined;

/** Called first thing in a supervised thread; `tid` is its OS thread id (thread-cpu.ts's osThreadId), 0 if unknown. */
export function attachCallSlot(buffer: SharedArrayBuffer, index: number, tid = 0): void {
  mine = new Int32Array(buffer, index * BYTES, FIELDS);
  Atomics.store(mine, 3, tid);
  attached = { buffer, index };
}

/** The slots this thread writes to, if supervised (explore hands the next ones to its workers). */
export function attachedCallSlots(): { buffer: SharedArrayBuffer; index: number } | undefined {
  return attached;
}

/** Marks `method` as in progress; returns what to pass to `leave` (calls may nest: merge → clone). */
export function enter(method: Method): Method | undefined {
  const outer = current;
  current = method;
  if (mine) {
    Atomics.store(mine, 0, INDEX.get(method)!);
    Atomics.add(mine, 1, 1);
  }
  return outer;
}

export function leave(outer: Method | undefined): void {
  current = outer;
  if (mine) Atomics.store(mine, 0, outer === undefined ? 0 : INDEX.get(outer)!);
}

/** The plugin method in progress on this thread (undefined between calls). */
export function currentMethod(): Method | undefined {
  return current;
}

/** Records a process.exit(code) before it happens: the thread is gone afterwards. */
export function recordExit(code: number): void {
  if (mine) Atomics.store(mine, 2, (Number.isInteger(code) ? code : 1) + 1);
}
