import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { textOf } from "../page/query.js";
import { KEYFRAME_DEPTH, TextTableBuilder } from "./text-table.ts";

describe("text table", () => {
  it("reads back every text it was given, equal texts share an id, and no read applies more than KEYFRAME_DEPTH splices", () => {
    // Texts per replica that drift by small edits, as version vectors and values do, plus long ones (hashed keys).
    const step = fc.record({ lane: fc.integer({ min: 0, max: 3 }), text: fc.oneof(fc.string({ maxLength: 12 }), fc.string({ minLength: 190, maxLength: 260 })) });
    checkProperty(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const b = new TextTableBuilder();
        const byText = new Map<string, number>();
        for (const { lane, text } of steps) {
          const id = b.id(text, lane);
          expect(textOf(b.table, id)).toBe(text);
          if (byText.has(text)) expect(id).toBe(byText.get(text));
          byText.set(text, id);
        }
        expect(new Set(byText.values()).size).toBe(byText.size);
        for (let i = 0; i < b.table.p.length; i++) {
          let depth = 0;
          for (let j = i; b.table.p[j]! >= 0; j = b.table.prev[j]!) depth++;
          expect(depth).toBeLessThan(KEYFRAME_DEPTH);
        }
      }),
    );
  });

  it("keeps a long text that changes one number as a splice, not whole again", () => {
    const b = new TextTableBuilder();
    const vv = (k: number) => `n1:${k}+{${Array.from({ length: 400 }, (_, i) => i + 1000).join(",")}} n2:7`;
    b.id(vv(1), 0);
    const id = b.id(vv(2), 0);
    expect(b.table.p[id]).toBe(3);
    expect(b.table.mid[id]).toBe("2");
    expect(textOf(b.table, id)).toBe(vv(2));
  });
});
