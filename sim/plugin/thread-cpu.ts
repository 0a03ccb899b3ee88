/**
 * The CPU time of one thread of this process, where the OS tells it (Linux: /proc), for the
 * plugin watchdog (cli/sandbox/supervise.ts). A call's budget is the time its thread computes,
 * not the wall time that passes: on a box loaded by other work a plugin thread may get a tenth
 * of a core, and a plugin that would load or return in 0.2 s idle takes seconds — it must not
 * be stopped for that. A loop never yields, so it uses CPU at whatever rate the box gives it and
 * meets the budget of computing time all the same.
 *
 * Node has no API for a thread's own CPU time, so the thread reads its OS thread id once
 * (`osThreadId`, called first thing in a supervised thread) and the watchdog reads that thread's
 * counters (`threadCpuMs`) from outside — the thread itself may be stuck in a loop.
 */
import { readFileSync, readlinkSync } from "node:fs";

/** This thread's OS thread id, or 0 where the OS does not expose per-thread CPU time. */
export function osThreadId(): number {
  try {
    // "/proc/thread-self" → "<pid>/task/<tid>", resolved by the kernel for the calling thread.
    const tid = Number(/\/task\/(\d+)$/.exec(readlinkSync("/proc/thread-self"))?.[1]);
    return Number.isSafeInteger(tid) && tid > 0 && tid < 2 ** 31 ? tid : 0;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ: the unit of /proc's utime and stime (100 on every architecture Node runs on). */
const TICKS_PER_S = 100;

/** The CPU time (user + system, ms) thread `tid` of this process has used; undefined if unknown or gone. */
export function threadCpuMs(tid: number): number | undefined {
  if (tid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "latin1");
    // After "tid (comm)" — comm may hold spaces and parentheses — field 3 (state) comes first;
    // utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_S : undefined;
  } catch {
    return undefined;
  }
}
