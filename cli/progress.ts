/**
 * A one-line progress indicator for multi-scenario commands: shown only on an interactive
 * terminal (never in CI, in pipes, or with --json, whose stdout must hold summaries only),
 * always on stderr, and erased before any other output.
 */
export type Progress = { step(i: number, n: number, label: string): void; done(): void };

const silent: Progress = { step() {}, done() {} };

export function progress(enabled: boolean): Progress {
  const tty = process.stderr.isTTY && !process.env.CI;
  if (!enabled || !tty) return silent;
  let shown = false;
  return {
    step(i, n, label) {
      const width = 24;
      const filled = Math.round((i / n) * width);
      process.stderr.write(`\r\x1b[2K[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${i}/${n} ${label}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}
