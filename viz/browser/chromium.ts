/**
 * Headless Chromium for the browser tests and the render benchmark: the system's Debian
 * `chromium`, driven by playwright-core (which downloads no browser of its own).
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | null {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** Flags: no sandbox (root in containers), and nothing that phones home, so a run is offline. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * Whether browser tests can run. Locally a missing Chromium skips them with a loud warning; in
 * CI (CI=true) it is a failure, so a green build always means the page was really exercised.
 */
export function browserAvailable(): boolean {
  if (findChromium()) return true;
  if (process.env.CI === "true") throw new Error("CI=true but no Chromium found: the browser tests must run in CI (install Debian chromium)");
  console.warn("\n\x1b[33m!!! viz browser tests SKIPPED: no Chromium found (apt-get install chromium) !!!\x1b[0m\n");
  return false;
}
