/**
 * Redraws docs/timeline.png, the README's picture: the gallery's lww-clock-skew-physical run,
 * as its timeline.html shows in headless Chromium (top of the page, 1280 × 640). Run it after a
 * change to the page or to the scenario's description: `npx tsx viz/browser/readme-picture.ts`.
 * Not part of the suite: it writes into docs/.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../cli/program.ts";
import { launchChromium } from "./chromium.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scenario = "lww-clock-skew-physical";
const out = mkdtempSync(join(tmpdir(), "mc-picture-"));
const quiet = { out: () => {}, err: (t: string) => void process.stderr.write(t) };
const code = await runCli(["run", join(root, "scenarios", `${scenario}.json`), "--seed", "1", "--out", out], quiet);
if (code !== 0) throw new Error(`run ${scenario} exited ${code}`);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
  await page.goto(`file://${join(out, scenario, "1", "timeline.html")}`);
  await page.waitForSelector("body[data-ready]");
  const file = join(root, "docs", "timeline.png");
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1280, height: 640 } });
  process.stderr.write(`wrote ${file}\n`);
} finally {
  await browser.close();
}
