/**
 * `replay` end to end: a recorded run reproduces; an edited, cut-off, shortened or lengthened
 * trace.jsonl, or an edited summary.json, does not, and the first difference is named; a
 * --no-trace run replays by hash; an unreadable run directory is bad input.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { traceFileLines } from "../sim/index.ts";
import { cli, cliInProcess, ROOT } from "./spawn-cli.ts";

const out = mkdtempSync(join(tmpdir(), "mc-replay-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A failed replay writes its trace to a temp dir to diff against: not left behind by tests. */
function removeReplayedTrace(stdout: string): void {
  const written = / and (\S*memoconductor-replay-[^/\s]+)\//.exec(stdout)?.[1];
  if (written) rmSync(written, { recursive: true, force: true });
}
const youtube = join(ROOT, "scenarios/youtube-view-counter.json");

describe("replay", () => {
  it("proves the same traceHash (run dir or trace.jsonl), and exits 1 on a different one", async () => {
    await cliInProcess(["run", youtube, "--seed", "5", "--out", out]);
    const dir = join(out, "youtube-view-counter/5");
    const ok = await cliInProcess(["replay", dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("✓ same traceHash, trace.jsonl line for line and summary: the run reproduces bit for bit");
    expect((await cliInProcess(["replay", join(dir, "trace.jsonl")])).code).toBe(0);

    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    writeFileSync(join(dir, "summary.json"), JSON.stringify({ ...summary, traceHash: "0".repeat(64) }));
    // Line 4 of the compact file is its third event (the header comes first).
    const trace = readFileSync(join(dir, "trace.jsonl"), "utf8").split("\n");
    trace[3] = '{"t":0,"type":"tampered"}';
    writeFileSync(join(dir, "trace.jsonl"), trace.join("\n"));
    const bad = await cliInProcess(["replay", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("✗ DIFFERENT traceHash: the run does not reproduce");
    expect(bad.stdout).toContain(`recorded traceHash    ${"0".repeat(64)}`);
    expect(bad.stdout).toContain(`replayed traceHash    ${summary.traceHash}`);
    expect(bad.stdout).toMatch(/first difference at trace\.jsonl event 3, column \d+:/);
    removeReplayedTrace(bad.stdout);
  });

  // The edits are written as canonical (format version 1) files, the lines themselves: replay
  // reads that format too, and its line numbers are the file's.
  describe("checks the recorded trace.jsonl, not only the summary's traceHash", async () => {
    await cliInProcess(["run", youtube, "--seed", "6", "--out", out]);
    const recorded = join(out, "youtube-view-counter/6");
    const compact = readFileSync(join(recorded, "trace.jsonl"), "utf8");
    const text = [...traceFileLines(join(recorded, "trace.jsonl"))].map((l) => l + "\n").join("");
    const lines = text.trimEnd().split("\n");
    let copies = 0;
    /** A copy of the recorded run dir with its trace.jsonl replaced; the replay's result. */
    const replayWith = async (trace: string) => {
      const dir = join(out, `tampered-${++copies}`);
      cpSync(recorded, dir, { recursive: true });
      writeFileSync(join(dir, "trace.jsonl"), trace);
      return { dir, ...(await cliInProcess(["replay", dir])) };
    };
    const fails = (r: { code: number; stdout: string }) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("✗ the recorded files differ from the replay: the run does not reproduce as recorded");
      expect(r.stdout).not.toContain("✓");
      removeReplayedTrace(r.stdout);
    };

    it('one edited time ("t":N → N+1) on line 5: names line 5 with both texts and where the whole lines are', async () => {
      const edited = [...lines];
      edited[4] = edited[4]!.replace(/"t":(\d+)/, (_, t) => `"t":${Number(t) + 1}`);
      const r = await replayWith(edited.map((l) => l + "\n").join(""));
      fails(r);
      expect(r.stdout).toMatch(/first difference at trace\.jsonl line 5, column \d+:/);
      expect(r.stdout).toContain(`    recorded  ${edited[4]}`);
      expect(r.stdout).toContain(`    replayed  ${lines[4]}`);
      expect(r.stdout).toMatch(new RegExp(`whole lines: .*tampered-\\d+/trace\\.jsonl:5 and .*memoconductor-replay-.*/trace\\.jsonl:5`));
    });

    it("cut off mid-line: truncated at that line", async () => {
      const r = await replayWith(text.slice(0, text.indexOf(lines[9]!) + 20));
      fails(r);
      expect(r.stdout).toContain("trace.jsonl is truncated at line 10 (cut off mid-line: no newline at its end)");
      expect(r.stdout).toContain(`    recorded  ${lines[9]!.slice(0, 20)}\n`);
    });

    it("cut off at a line's end but its final newline: truncated at the last line", async () => {
      const r = await replayWith(text.slice(0, -1));
      fails(r);
      expect(r.stdout).toContain(`trace.jsonl is truncated at line ${lines.length} (cut off mid-line: no newline at its end)`);
    });

    it("a line deleted: the first line that differs from there", async () => {
      const r = await replayWith(
        lines
          .filter((_, i) => i !== 6)
          .map((l) => l + "\n")
          .join(""),
      );
      fails(r);
      expect(r.stdout).toMatch(/first difference at trace\.jsonl line 7, column \d+:/);
    });

    it("the last lines missing, or a line appended: named", async () => {
      const short = await replayWith(
        lines
          .slice(0, -2)
          .map((l) => l + "\n")
          .join(""),
      );
      fails(short);
      expect(short.stdout).toContain(`trace.jsonl ends after line ${lines.length - 2}: 2 lines missing from line ${lines.length - 1}:`);
      const long = await replayWith(text + '{"t":99999,"type":"extra"}\n');
      fails(long);
      expect(long.stdout).toContain(`trace.jsonl has 1 extra line from line ${lines.length + 1}, where the replay's trace ends:`);
      expect(long.stdout).toContain('    recorded  {"t":99999,"type":"extra"}');
    });

    it("the compact file as recorded reproduces; an edited record or a file cut off mid-record is named by its event", async () => {
      expect((await replayWith(compact)).code).toBe(0);
      const records = compact.split("\n");
      const at = records.findIndex((l, i) => i > 5 && l.startsWith("[2,"));
      const edited = [...records];
      edited[at] = edited[at]!.replace(/,(\d+)\]$/, (_, bytes) => `,${Number(bytes) + 1}]`);
      const r = await replayWith(edited.join("\n"));
      fails(r);
      expect(r.stdout).toMatch(new RegExp(`first difference at trace\\.jsonl event ${at}, column \\d+:`));
      expect(r.stdout).toMatch(/whole lines: .*memoconductor-replay-.*\/recorded\.jsonl:\d+ and .*memoconductor-replay-.*\/trace\.jsonl:\d+/);
      const cut = await replayWith(compact.slice(0, compact.indexOf(records[at]!) + 5));
      fails(cut);
      expect(cut.stdout).toContain(`trace.jsonl is truncated at event ${at} (cut off mid-line: no newline at its end)`);
    });

    it("a record the compact format does not allow is named by its line in the file", async () => {
      const records = compact.split("\n");
      records[5] = "[2,oops]";
      const r = await replayWith(records.join("\n"));
      fails(r);
      expect(r.stdout).toMatch(/trace\.jsonl line 6: not JSON .*: the compact trace does not decode from there/);
    });

    it("an edited verdict in summary.json is named too", async () => {
      const dir = join(out, `tampered-${++copies}`);
      cpSync(recorded, dir, { recursive: true });
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      summary.checks[0].ok = !summary.checks[0].ok;
      writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
      const r = await cliInProcess(["replay", dir]);
      fails(r);
      expect(r.stdout).toContain(`summary.json differs from the replay at checks[0].ok: recorded ${summary.checks[0].ok}, replayed ${!summary.checks[0].ok}`);
    });
  });

  it("a run written with --no-trace replays by its hash, and says there was no trace to compare", async () => {
    await cliInProcess(["run", youtube, "--seed", "7", "--no-trace", "--out", out]);
    const r = await cliInProcess(["replay", join(out, "youtube-view-counter/7")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("recorded trace.jsonl  none (the run was written with --no-trace)");
    expect(r.stdout).toContain("✓ same traceHash and summary: the run reproduces bit for bit (no trace.jsonl was recorded to compare line by line)");
  });

  it("an unreadable run dir is bad input (exit 2, one line)", async () => {
    const dir = join(out, "unreadable");
    cpSync(join(out, "youtube-view-counter/7"), dir, { recursive: true });
    writeFileSync(join(dir, "summary.json"), "{ not json");
    const r = await cliInProcess(["replay", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unreadable\/summary\.json: unreadable/);
  });

  it("replays a plugin scenario from anywhere (the plugin path is stored absolute)", async () => {
    await cliInProcess(["run", join(ROOT, "scenarios/youtube-view-counter-naive.json"), "--out", out]);
    const stored = JSON.parse(readFileSync(join(out, "youtube-view-counter-naive/2/scenario.json"), "utf8"));
    expect(stored.crdt.module).toBe(join(ROOT, "scenarios/plugins/naive-counter.ts"));
    expect((await cli(["replay", join(out, "youtube-view-counter-naive/2")], tmpdir())).code).toBe(0);
  });
});
