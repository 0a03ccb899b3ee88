/** Where the CLI writes: real streams in production, buffers in tests (runCli is in-process). */
export type Io = { out(text: string): void; err(text: string): void };

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Exit codes of the contract (docs/design.md, "The command line"). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Several outcomes → one code: bad input dominates, then a failed expectation. */
export function worst(codes: readonly number[]): ExitCode {
  return codes.includes(EXIT.badInput) ? EXIT.badInput : codes.includes(EXIT.failed) ? EXIT.failed : EXIT.ok;
}

/** A one-line message for any error (a stack only with MEMOCONDUCTOR_DEBUG=1). */
export function errorLine(e: unknown): string {
  if (process.env.MEMOCONDUCTOR_DEBUG && e instanceof Error && e.stack) return e.stack;
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ").trim();
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}
