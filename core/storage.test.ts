import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "./_test/prop.ts";
import { MemoryStorage } from "./storage.ts";

describe("MemoryStorage (snapshot + log)", () => {
  it("a record is durable once synced; a crash loses only what was staged since", () => {
    const s = new MemoryStorage<string, number>("init");
    s.append(1);
    s.append(2);
    expect(s.pending).toBe(2);
    expect(s.load()).toEqual({ snapshot: "init", log: [] });
    s.sync();
    s.append(3);
    expect(s.crash()).toBe(1);
    expect(s.load()).toEqual({ snapshot: "init", log: [1, 2] });
  });

  it("a synced snapshot replaces the older snapshot and the records before it, keeping later ones", () => {
    const s = new MemoryStorage<string, number>();
    s.append(1);
    s.snapshot("after-1");
    s.append(2);
    s.sync();
    expect(s.load()).toEqual({ snapshot: "after-1", log: [2] });
    s.snapshot("after-2");
    s.crash(); // the staged snapshot is lost too
    expect(s.load()).toEqual({ snapshot: "after-1", log: [2] });
  });

  it("load never shows unsynced writes, in any interleaving (model check)", () => {
    type Cmd = { c: "append"; x: number } | { c: "snap" } | { c: "sync" } | { c: "crash" };
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.record({ c: fc.constant("append" as const), x: fc.nat(99) }),
      fc.constant({ c: "snap" as const }),
      fc.constant({ c: "sync" as const }),
      fc.constant({ c: "crash" as const }),
    );
    checkProperty(
      fc.property(fc.array(cmd, { maxLength: 40 }), (cmds) => {
        const s = new MemoryStorage<number[], number>([]);
        // Model: the durable history (all synced appends) and the volatile one.
        let durable: number[] = [];
        let live: number[] = [];
        for (const k of cmds) {
          if (k.c === "append") {
            s.append(k.x);
            live.push(k.x);
          } else if (k.c === "snap") s.snapshot([...live]);
          else if (k.c === "sync") {
            s.sync();
            durable = [...live];
          } else {
            s.crash();
            live = [...durable];
          }
          const { snapshot, log } = s.load();
          expect([...(snapshot ?? []), ...log]).toEqual(durable);
        }
      }),
    );
  });
});
