import { describe, expect, it } from "vitest";
import { resolveAnyBuiltin, UnknownCrdtError } from "../registry.ts";
import { orSet } from "../crdt/or-set.ts";
import { closestName, didYouMean, editDistance } from "./did-you-mean.ts";

describe("did you mean", () => {
  it("edit distance", () => {
    expect(editDistance("durration", "duration")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests a near name, and nothing for a far one", () => {
    expect(closestName("orset", ["g-set", "or-set", "or-map"])).toBe("or-set");
    expect(closestName("Add", ["add", "remove"])).toBe("add");
    expect(closestName("convergense", ["convergence", "strong-convergence"])).toBe("convergence");
    expect(closestName("b-tree", ["g-set", "or-set", "rga"])).toBeUndefined();
    expect(didYouMean("max", ["map"])).toBe('did you mean "map"? ');
    expect(didYouMean("xyz", ["map"])).toBe("");
  });

  it("core's own errors carry it: an unknown CRDT, op or option", () => {
    expect(() => resolveAnyBuiltin("lww-regster")).toThrow(UnknownCrdtError);
    expect(() => resolveAnyBuiltin("lww-regster")).toThrow(/unknown CRDT "lww-regster" \(did you mean "lww-register"\? builtins: /);
    expect(() => orSet.update(orSet.init("a"), { op: "ad", args: [1] }, { replica: "a", now: () => 0 })).toThrow(
      /unknown op \(did you mean "add"\? this type takes: add, remove\)/,
    );
    expect(() => resolveAnyBuiltin({ type: "lww-register", bias: "x" } as never)).toThrow(/unknown option/);
  });
});
