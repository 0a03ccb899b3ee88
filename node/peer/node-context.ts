/** What a connection needs from its node: the codec, the replica, the peer table and the request handler. */
import type { DeltaMessage } from "../../core/index.ts";
import type { ClientRequest, ClientResponse, Frame, FrameCodec, Hello } from "../protocol/index.ts";
import type { ReplicaHost } from "../replica-host.ts";
import type { Link, LinkOptions } from "./link.ts";

/** A connection as its node sees it (connection.ts). */
export interface PeerConnection {
  /** Set once a peer's hello was accepted; undefined on a client's connection. */
  readonly link: Link | undefined;
  send(frame: Frame): void;
  /** Whether a sync answer from the peer is still being applied (the repair digest waits: it would have the peer send it again). */
  readonly applyingSync: boolean;
  /** Sends a client request over this (peer) connection and resolves with the answer. */
  request(body: ClientRequest): Promise<ClientResponse>;
  /** Registers the end of a watch, called when the connection closes. */
  watch(stop: () => void): void;
  close(code?: number): void;
  /** The dialer of a connection this node dialed (undefined on an accepted one). */
  readonly dialer: { standBy(): void; resume(): void } | undefined;
  /** Closes a link that duplicates another with the same node (peer-links.ts). */
  closeDuplicate(): void;
}

export interface NodeContext {
  readonly codec: FrameCodec;
  readonly host: ReplicaHost;
  readonly linkOptions: LinkOptions;
  /** This node's hello, with its current digest. */
  hello(): Hello;
  log(line: string): void;
  /** A peer connection completed its handshake: false when it duplicates a link with the same node (it was closed). */
  addLink(c: PeerConnection, peerId: string): boolean;
  /** A connection closed, with the WebSocket close code. */
  removeLink(c: PeerConnection, code: number): void;
  /** Sends deltas to every peer but `except` (where they came from). */
  broadcast(deltas: DeltaMessage[], except?: PeerConnection): void;
  /** Answers a client request `rid` that arrived on `from` (a watch keeps sending events tagged `rid` over it). */
  handle(body: ClientRequest, from: PeerConnection | undefined, rid: number): Promise<ClientResponse>;
}
