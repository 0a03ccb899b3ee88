/**
 * Trace files on disk: the compact writer streaming to a file descriptor in chunks, and the
 * reader that gives a file's canonical lines one at a time (either format version), reading
 * the file in chunks — neither holds a whole trace.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { CompactWriter } from "./compact-writer.ts";
import { TraceDecoder } from "./decode.ts";

/** A trace being written to `file`: give `sink` to the run, then `end()` (whole) or `close()` (stopped). */
export class TraceFileWriter {
  readonly sink: CompactWriter;
  private fd: number | null;

  constructor(
    readonly file: string,
    names: readonly string[],
  ) {
    const fd = openSync(file, "w");
    this.fd = fd;
    this.sink = new CompactWriter(names, (chunk) => void writeSync(fd, chunk));
  }

  /** The run finished: the trailer and the last chunk, then the file is closed. */
  end(): void {
    this.sink.end();
    this.close();
  }

  /** Closes the file as it is (a run that failed leaves it without its trailer: incomplete). */
  close(): void {
    if (this.fd === null) return;
    this.sink.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}

const READ_CHUNK = 1 << 20;

/** The lines of a file, without their newlines; `torn` is called when the last one has none. */
export function* fileLines(file: string, torn: (line: string) => void = () => {}): Generator<string> {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(READ_CHUNK);
    const decoder = new TextDecoder();
    let rest = "";
    for (;;) {
      const n = readSync(fd, buf, 0, READ_CHUNK, null);
      if (n === 0) break;
      const text = rest + decoder.decode(buf.subarray(0, n), { stream: true });
      const parts = text.split("\n");
      rest = parts.pop()!;
      yield* parts;
    }
    rest += decoder.decode();
    if (rest !== "") {
      torn(rest);
      yield rest;
    }
  } finally {
    closeSync(fd);
  }
}

/** The number of newlines in a file, counted in chunks without decoding it (an upper bound on its events). */
export function countLines(file: string): number {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(READ_CHUNK);
    let count = 0;
    for (let n = readSync(fd, buf, 0, READ_CHUNK, null); n > 0; n = readSync(fd, buf, 0, READ_CHUNK, null)) {
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) count++;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

/** What reading a trace file found besides its lines. */
export type TraceFileInfo = { version: number; lines: number; whole: boolean; torn?: string };

/**
 * The canonical lines of a trace file, one at a time. A format error throws decode.ts's TraceFormatError;
 * a last line cut off mid-way (no newline: the run was stopped while writing it) is not given
 * out but left in `info.torn`. `info.whole`: a version-2 file's trailer was read.
 */
export function* traceFileLines(file: string, info: TraceFileInfo = { version: 1, lines: 0, whole: false }): Generator<string> {
  const d = new TraceDecoder();
  let torn = false;
  for (const text of fileLines(file, () => (torn = true))) {
    if (torn) {
      info.torn = text;
      break;
    }
    const line = d.next(text);
    info.version = d.version;
    if (line !== null) {
      info.lines++;
      yield line;
    }
  }
  info.whole = d.endLines !== null;
}
