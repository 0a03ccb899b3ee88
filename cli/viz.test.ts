import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { vizCommand } from "./viz.ts";

const FIX = join(import.meta.dirname, "..", "viz", "fixtures");
const tmp = mkdtempSync(join(tmpdir(), "viz-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const io = () => {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
};

describe("memoconductor viz", () => {
  const dir = join(tmp, "run");
  cpSync(join(FIX, "small.trace.jsonl"), join(dir, "trace.jsonl"));
  cpSync(join(FIX, "small.summary.json"), join(dir, "summary.json"));

  it("writes the four views of a run directory", async () => {
    const c = io();
    expect(await vizCommand(dir, {}, c.io)).toBe(0);
    for (const f of ["timeline.html", "timeline.svg", "report.md", "junit.xml"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(c.out.join("")).toContain("timeline.html");
  });

  it("rewrites a run directory's views under its lock: a dead writer's lock is taken over, nothing is left beside", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""], { timeout: 20_000 }).pid!;
    writeFileSync(join(tmp, "run.lock"), `${dead}\n`);
    expect(await vizCommand(dir, {}, io().io)).toBe(0);
    expect(readdirSync(tmp).filter((f) => f.startsWith("run") || f.startsWith(".run"))).toEqual(["run"]);
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("writes just the timeline with -o, from the trace file", async () => {
    const out = join(tmp, "elsewhere", "t.html");
    expect(await vizCommand(join(dir, "trace.jsonl"), { out }, io().io)).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("<title>fixture-small — MemoConductor timeline</title>");
  });

  it("draws a bare trace with no summary", async () => {
    const bare = join(tmp, "bare");
    cpSync(join(FIX, "diverge.trace.jsonl"), join(bare, "t.jsonl"));
    expect(await vizCommand(join(bare, "t.jsonl"), {}, io().io)).toBe(0);
    expect(readFileSync(join(bare, "timeline.svg"), "utf8")).toContain("first divergence");
  });

  it("exits 2 with one line on bad input", async () => {
    const c = io();
    expect(await vizCommand(join(tmp, "nope"), {}, c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/^memoconductor viz: .*no such run directory/);
    const broken = join(tmp, "broken");
    cpSync(join(FIX, "small.summary.json"), join(broken, "summary.json"));
    writeFileSync(join(broken, "trace.jsonl"), "{not json\n");
    const d = io();
    expect(await vizCommand(broken, {}, d.io)).toBe(2);
    expect(d.err.join("")).toContain("trace line 1: not JSON");
  });
});
