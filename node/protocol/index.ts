/** The node protocol: frames (hello, deltas, digest, sync, client requests, refuse) over core's codecs. */
export { frameCodec, FRAME_TYPES, MAX_FRAME_BYTES, PROTOCOL_VERSION, ProtocolVersionError, type Frame, type FrameCodec, type FrameType, type Hello } from "./frames.ts";
export { clientRequestSchema, type Change, type ClientRequest, type ClientResponse, type ErrorKind } from "./requests.ts";
export { canonicalJson, schemaFingerprint } from "./fingerprint.ts";
