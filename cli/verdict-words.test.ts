/**
 * One word for one verdict: the `start` table, the `run` block, the gallery card, the timeline
 * page's badge and report.md's heading name a run's verdict alike — "pass", "anomaly shown
 * (expected)" (a teaching scenario whose expected anomaly the checker caught) or "FAIL".
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERDICT_WORD } from "../viz/index.ts";
import { cliInProcess, ROOT } from "./spawn-cli.ts";
import { startCommand } from "./start.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-verdict-"));
const scenarios = join(dir, "scenarios");
const out = join(dir, "reports");
mkdirSync(scenarios);
copyFileSync(join(ROOT, "scenarios/youtube-view-counter.json"), join(scenarios, "youtube-view-counter.json"));
copyFileSync(join(ROOT, "scenarios/lww-clock-skew-physical.json"), join(scenarios, "lww-clock-skew-physical.json"));
const youtube = JSON.parse(readFileSync(join(ROOT, "scenarios/youtube-view-counter.json"), "utf8"));
writeFileSync(join(scenarios, "wrong.json"), JSON.stringify({ ...youtube, name: "wrong", expect: { checks: { "counter-total": false } } }));

const cases = [
  { name: "youtube-view-counter", seed: 2, word: VERDICT_WORD.pass },
  { name: "lww-clock-skew-physical", seed: 1, word: VERDICT_WORD.shown },
  { name: "wrong", seed: 2, word: VERDICT_WORD.fail },
] as const;

describe("one word per verdict across the CLI and the views", async () => {
  let table = "";
  await startCommand({ out }, { out: (t) => void (table += t), err: () => {} }, scenarios);
  const gallery = readFileSync(join(out, "index.html"), "utf8");

  for (const c of cases) {
    it(`${c.name}: "${c.word}" everywhere`, async () => {
      const esc = c.word.replace(/[()]/g, "\\$&");
      expect(table).toMatch(new RegExp(`^${c.name}\\s.*\\s[✓✗] ${esc}\\s`, "m"));
      const run = await cliInProcess(["run", join(scenarios, `${c.name}.json`), "--out", join(dir, "again")]);
      expect(run.stdout.split("\n")[0]).toMatch(new RegExp(`[✓✗] ${esc}(:|$)`));
      const runDir = join(out, c.name, String(c.seed));
      expect(readFileSync(join(runDir, "report.md"), "utf8").split("\n")[0]).toMatch(new RegExp(` — ${esc}`));
      expect(readFileSync(join(runDir, "timeline.html"), "utf8")).toMatch(new RegExp(`<span class="verdict \\w+" title="[^"]*">${esc}</span>`));
      expect(gallery).toMatch(new RegExp(`<h2>${c.name}</h2><span class="v \\w+" title="[^"]*">${esc}</span>`));
    });
  }

  it("none of the old, disagreeing words is left", () => {
    for (const text of [table, gallery]) expect(text).not.toMatch(/ANOMALY SHOWN|all expectations met|EXPECTATIONS NOT MET|>PASS</);
  });
});
