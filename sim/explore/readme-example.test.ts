/**
 * The README's vitest example ("Finding bugs in your CRDT") is a real file,
 * examples/my-counter.test.ts, quoted verbatim in the README. Importing it here registers its
 * tests in this suite (examples/ is outside the suite's include globs on purpose: it is user code).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import "../../examples/my-counter.test.ts";

describe("README example", () => {
  it("quotes examples/my-counter.test.ts verbatim", () => {
    const readme = readFileSync(new URL("../../docs/finding-bugs.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../../examples/my-counter.test.ts", import.meta.url), "utf8");
    expect(readme).toContain("```ts\n// my-counter.test.ts\n" + example + "```");
  });
});
