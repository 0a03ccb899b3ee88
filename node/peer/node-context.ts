/** What a connection needs from its node: the codec, the replica, the peer table and the request handler. */
import type { DeltaMessage } from "../../core/index.ts";
import type { ClientRequest, ClientResponse, FrameCodec, Hello } from "../protocol/index.ts";
import type { ReplicaHost } from "../replica-host.ts";
import type { Connection } from "./connection.ts";
import type { LinkOptions } from "./link.ts";

export interface NodeContext {
  readonly codec: FrameCodec;
  readonly host: ReplicaHost;
  readonly linkOptions: LinkOptions;
  /** This node's hello, with its current digest. */
  hello(): Hello;
  log(line: string): void;
  /** A peer connection completed its handshake / closed. */
  addLink(c: Connection): void;
  removeLink(c: Connection): void;
  /** Sends deltas to every peer but `except` (where they came from). */
  broadcast(deltas: DeltaMessage[], except?: Connection): void;
  /** Answers a client request `rid` that arrived on `from` (a watch keeps sending events tagged `rid` over it). */
  handle(body: ClientRequest, from: Connection | undefined, rid: number): Promise<ClientResponse>;
}
