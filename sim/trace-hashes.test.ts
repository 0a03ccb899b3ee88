/**
 * Nothing moved: the gallery's and the swarms' traceHashes equal the ones recorded before the
 * simulator's refactor (issue 20). A difference names every scenario and seed that changed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { galleryHashes, RECORDED, swarmHashes, type Hashes } from "./_test/trace-hashes.ts";

const recorded = JSON.parse(readFileSync(RECORDED, "utf8")) as Hashes;
const pick = (prefix: string) => Object.fromEntries(Object.entries(recorded).filter(([k]) => k.startsWith(prefix)));

describe("recorded traceHashes", () => {
  it("every gallery scenario, on its own seed and three more, hashes as recorded", async () => {
    expect(await galleryHashes()).toEqual(pick("gallery/"));
  });

  it("swarm scenarios of every canary and of four builtins hash as recorded", () => {
    expect(swarmHashes()).toEqual({ ...pick("canary/"), ...pick("builtin/") });
  });
});
