/**
 * The links a node has with its peers: one per pair of nodes. Two nodes that dial each other
 * (A `--peer` B and B `--peer` A) would otherwise hold two links and send every delta twice.
 *
 * The rule, the same on both nodes so that both close the same connection: after a hello, when
 * a link with that node already stands in the other direction, the link dialed by the lower node
 * id (UTF-16 order) stays and the other is closed with DUPLICATE_LINK. The dialer of the closed
 * one stands by — no redial, no back-off, one log line — while the kept link lasts, and dials
 * again once it closes (the other node may be gone for good, or restarted without `--peer`).
 * Two links in the same direction (one node dialing another twice) are left alone.
 */
import type { PeerConnection } from "./node-context.ts";

/** WebSocket close code of a duplicate link (4000–4999: the application's own). */
export const DUPLICATE_LINK = 4001;

type Standing = NonNullable<PeerConnection["dialer"]>;

export class PeerLinks implements Iterable<PeerConnection> {
  private readonly links = new Set<PeerConnection>();
  /** Dialers standing by, per the peer whose other link they wait on. */
  private readonly standing = new Map<string, Set<Standing>>();

  constructor(
    private readonly selfId: string,
    private readonly log: (line: string) => void,
  ) {}

  get size(): number {
    return this.links.size;
  }

  [Symbol.iterator](): Iterator<PeerConnection> {
    return this.links[Symbol.iterator]();
  }

  /** A connection completed its hello. Returns false when it is the duplicate: closed, and no link. */
  add(c: PeerConnection, peer: string): boolean {
    const dialed = c.dialer !== undefined;
    const other = [...this.links].find((l) => l.link?.peerId === peer && (l.dialer !== undefined) !== dialed);
    if (!other) {
      this.links.add(c);
      return true;
    }
    const lower = this.selfId < peer ? this.selfId : peer;
    // The lower node keeps the link it dialed; the higher one keeps the link it accepted.
    const keep = dialed === (lower === this.selfId) ? c : other;
    const drop = keep === c ? other : c;
    this.links.delete(drop);
    this.links.add(keep);
    this.log(`closing the duplicate link with node ${peer} (the nodes dial each other): the link node ${lower} dialed stays`);
    if (drop.dialer) this.standBy(peer, drop.dialer);
    drop.closeDuplicate();
    return keep === c;
  }

  /** A connection closed with `code`. */
  remove(c: PeerConnection, code: number): void {
    this.links.delete(c);
    const peer = c.link?.peerId;
    if (peer === undefined) return;
    const linked = [...this.links].some((l) => l.link?.peerId === peer);
    // The peer closed the link this node dialed as the duplicate: stand by while its own lasts.
    if (code === DUPLICATE_LINK && c.dialer && linked) this.standBy(peer, c.dialer);
    if (linked) return;
    const waiting = this.standing.get(peer);
    this.standing.delete(peer);
    for (const d of waiting ?? []) d.resume();
  }

  private standBy(peer: string, dialer: Standing): void {
    dialer.standBy();
    let set = this.standing.get(peer);
    if (!set) this.standing.set(peer, (set = new Set()));
    set.add(dialer);
  }
}
