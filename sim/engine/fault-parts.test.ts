/**
 * The fault parts on their own, each over fakes of its narrow port — no simulator: the link
 * faults (link-faults.ts) and the node lifecycle (lifecycle.ts). What they must do is what the
 * port lets them see: the rest of the run is only told.
 */
import { describe, expect, it } from "vitest";
import type { Ev } from "./event.ts";
import { NodeLifecycle } from "./lifecycle.ts";
import { LinkFaults } from "./link-faults.ts";
import { Links } from "./links.ts";
import type { Replica } from "./replica.ts";
import type { ServiceHooks } from "./service-hooks.ts";

/** A services fake that records which hooks were called. */
function servicesLog(log: string[]): ServiceHooks {
  return {
    onEvent: () => log.push("services.onEvent"),
    step: () => log.push("services.step"),
    nextval: () => false,
    crash: (i) => log.push(`services.crash ${i}`),
    restart: (i) => log.push(`services.restart ${i}`),
    resume: (i) => log.push(`services.resume ${i}`),
    heal: () => log.push("services.heal"),
  };
}

describe("link faults", () => {
  function rig() {
    const log: string[] = [];
    const links = new Links(4);
    let holding = 0;
    const faults = new LinkFaults({
      links,
      time: { now: 5 },
      trace: {
        partitionGroups: (t, by, shape, groups) => void log.push(`partition ${by} ${shape} ${JSON.stringify(groups)}`),
        partitionLinks: (t, by, shape) => void log.push(`partition ${by} ${shape}`),
        cut: (t, pairs) => void log.push(`cut ${JSON.stringify(pairs)}`),
        heal: (t, by) => void log.push(`heal ${by}`),
      },
      net: {
        act: (id, action) => (log.push(`${action} ${id}`), true),
        release: () => void log.push("release"),
        get holding() {
          return holding;
        },
      },
      services: () => servicesLog(log),
    });
    return { log, links, faults, hold: (n: number) => (holding = n) };
  }

  it("a scripted partition completes the groups and blocks every link between them, both ways", () => {
    const { log, links, faults } = rig();
    faults.partition([[0], [1]]);
    expect(log).toEqual(["partition step groups [[0],[1],[2,3]]"]);
    expect([links.isBlocked(0, 1), links.isBlocked(1, 0), links.isBlocked(2, 3), links.isBlocked(3, 0)]).toEqual([true, true, false, true]);
  });

  it("a cut is one-way; heal clears every link and releases held messages, the services' too", () => {
    const { log, links, faults, hold } = rig();
    faults.cut([[0, 1]]);
    expect([links.isBlocked(0, 1), links.isBlocked(1, 0)]).toEqual([true, false]);
    expect(faults.faulty).toBe(true);
    faults.heal("step");
    expect(links.any).toBe(false);
    expect(faults.faulty).toBe(false);
    hold(2);
    expect(faults.faulty).toBe(true);
    expect(log).toEqual(["cut [[0,1]]", "heal step", "release", "services.heal"]);
  });
});

describe("node lifecycle", () => {
  function rig() {
    const log: string[] = [];
    const replicas = [0, 1].map((index) => {
      const r = { index, crashed: false, paused: false, epoch: 0, inbox: [] as unknown[], deferred: [], aeDeferred: false, op: null, up: true };
      return Object.defineProperty(r, "up", { get: () => !r.crashed && !r.paused }) as unknown as Replica;
    });
    const life = new NodeLifecycle({
      replicas,
      time: { now: 7 },
      trace: {
        nodeEvent: (t, type, node, by) => void log.push(`${type} ${node}${by ? ` ${by}` : ""}`),
        restart: (t, r, by) => void log.push(`restart ${r.index} ${by}`),
        unsyncedLost: () => void log.push("unsynced-lost"),
      },
      storage: null,
      net: { drop: (ev, reason) => void log.push(`drop ${ev.id} ${reason}`) },
      services: () => servicesLog(log),
      retract: (node, seq) => void log.push(`retract ${node}:${seq}`),
      recover: (r) => void log.push(`recover ${r.index}`),
      catchUp: (r) => void log.push(`catch-up ${r.index}`),
      apply: (r, ev) => void log.push(`apply ${ev.id} at ${r.index}`),
    });
    return { log, replicas, life };
  }
  const msg = (id: number) => ({ id }) as Ev;

  it("a paused node keeps its inbox and applies it at resume, in arrival order", () => {
    const { log, replicas, life } = rig();
    life.pause(0);
    replicas[0]!.inbox.push(msg(3), msg(4));
    life.resume(0);
    expect(log).toEqual(["pause 0", "resume 0", "apply 3 at 0", "apply 4 at 0", "services.resume 0"]);
  });

  it("a crash loses the paused inbox and starts a new incarnation; a restart recovers, then catches up", () => {
    const { log, replicas, life } = rig();
    life.pause(1);
    replicas[1]!.inbox.push(msg(9));
    life.crash(1);
    life.crash(1); // already down: nothing
    expect(replicas[1]!.epoch).toBe(1);
    life.restart(1, "nemesis");
    expect(replicas[1]!.epoch).toBe(2);
    expect(log).toEqual(["pause 1", "crash 1 step", "drop 9 crash", "services.crash 1", "recover 1", "restart 1 nemesis", "services.restart 1", "catch-up 1"]);
  });
});
