/** Sequencer (globally-sequenced log): public exports. */
export { Sequencer, type SequencerOptions, type SequencerStorage, type SeqStep } from "./server.ts";
export { SequencerClient, type SequencerClientOptions, type ClientStep } from "./client.ts";
export { SequencerError } from "./errors.ts";
export { type NextRequest, type Assigned, type SequencerMessage, type Outgoing, parseNextRequest, parseAssigned } from "./messages.ts";
export { type SeqRecord, type SeqSnapshot } from "./state.ts";
export { type SeqEvent, type CheckResult } from "./history.ts";
export { sequencerUnique, sequencerMonotonic } from "./checkers.ts";
