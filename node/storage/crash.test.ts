/**
 * `kill -9` in the middle of a burst of writes loses no acknowledged write: a child process
 * writes as fast as it can and prints each acknowledgement; the parent kills it with SIGKILL
 * after a few hundred acks, reopens the directory and finds every acknowledged write (the
 * object, its dot in the knowledge, its logged delta). Writes in flight when it died may or may
 * not be there — but each is there whole or not at all.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempDirs, views } from "./_test/workload.ts";
import { openNodeStore } from "./index.ts";

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const child = fileURLToPath(new URL("./_test/crash-child.ts", import.meta.url));
const dirs = tempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  dirs.cleanup();
});

/** Runs the child until it has printed `acks` acknowledgements (or `deadlineMs` passed), then SIGKILLs it. Returns the acked write numbers. */
function burstThenKill(dir: string, mode: string, acks: number, deadlineMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", tsxLoader, child, dir, mode], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(p);
    const acked: number[] = [];
    let buffer = "";
    let stderr = "";
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        p.kill("SIGKILL");
      }
    };
    const timer = setTimeout(kill, deadlineMs);
    p.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (m) acked.push(Number(m[1]));
        if (acked.length >= acks) kill();
      }
    });
    p.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      // Everything the child printed before it died was acknowledged; a partial last line was not.
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`the child exited by itself (code ${code}) before it was killed, waiting for ${acks} acks (got ${acked.length}): ${stderr}`));
    });
  });
}

describe("kill -9 during a write burst", () => {
  for (const mode of ["always", "group"]) {
    it(`loses no acknowledged write (sync ${mode})`, async () => {
      const dir = dirs.make();
      const acked = await burstThenKill(dir, mode, 300, 60_000);
      expect(acked.length).toBeGreaterThan(0); // the deadline, if hit, still leaves something to check
      const s = openNodeStore(dir);
      try {
        const known = s.backing.knowledge("views")!;
        for (const n of acked) expect([n, views(s.backing, `w${n}`)]).toEqual([n, 1]);
        // Each write took one dot; every acked write's dot and logged delta are there.
        const present = s.backing.count("views");
        expect(present).toBeGreaterThanOrEqual(acked.length);
        expect(known.vv.get("n1")).toBe(present);
        expect(s.backing.logSize()).toBe(present);
        for (const id of s.backing.ids("views")) expect(views(s.backing, id)).toBe(1);
      } finally {
        await s.close();
      }
    });
  }
});
