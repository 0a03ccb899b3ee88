/** RAMP-Fast read-atomic transactions: public exports. */
export { RampServer, type RampServerOptions, type RampServerStep } from "./server.ts";
export { type RampRecord, type RampSnapshot, type RampStorage, type StoredVersion } from "./durable.ts";
export { RampClient, type RampClientOptions, type RampStep } from "./client.ts";
export { RampError } from "./errors.ts";
export { type Ts, BOTTOM, compareTs, tsKey } from "./timestamp.ts";
export {
  type Version,
  type Write,
  type ReadItem,
  type Prepare,
  type Commit,
  type Put,
  type Get,
  type Prepared,
  type Committed,
  type Values,
  type ServerRequest,
  type ServerReply,
  type RampMessage,
  type Outgoing,
  parseServerRequest,
  parseServerReply,
} from "./messages.ts";
export { repairs } from "./repair.ts";
export { type RampEvent, type ReadVersion, type CheckResult } from "./history.ts";
export { readAtomic, committedDurable, type ShardView } from "./checker.ts";
