import { describe, expect, it } from "vitest";
import { LDoc } from "./seq-lseq.ts";
import { entry } from "./seq-entry.ts";
import { RgaDoc } from "./seq-rga.ts";

describe("entry (the sequence engines' checked index)", () => {
  it("returns the entry, and names the structure and index of one that is missing", () => {
    expect(entry(["a", "b"], 1, "names")).toBe("b");
    expect(() => entry(["a", "b"], 2, "names")).toThrow("names: no entry 2 of 2 (an internal invariant of the sequence engine is broken)");
  });

  // The engines' own structures, broken by hand as a bug would: the error says which one,
  // where a read of undefined used to surface later as "cannot read properties of undefined".
  it("an RGA document whose counters table lost a replica says so on the next insert", () => {
    const d = new RgaDoc();
    const ri = d.rep("alice");
    d.insertLocal(ri, 0, "hi");
    d.have.length = 0;
    expect(() => d.insertLocal(ri, 2, "!")).toThrow("rga counters held: no entry 0 of 0");
  });

  it("an RGA document whose chunk list lost its chunks says so on the next delete", () => {
    const d = new RgaDoc();
    d.insertLocal(d.rep("alice"), 0, "hello");
    d.chunks.length = 0;
    expect(() => d.deleteLocal(1, 1, [])).toThrow("rga chunk list: no entry 0 of 0");
  });

  it("an LSeq document whose chunk list lost its chunks says so on the next delete", () => {
    const d = new LDoc();
    d.insertLocal("alice", 0, "hello");
    d.chunks.length = 0;
    expect(() => d.deleteLocal(1, 1)).toThrow("lseq chunk list: no entry 0 of 0");
  });
});
