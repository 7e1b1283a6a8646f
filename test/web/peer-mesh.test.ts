import { beforeEach, describe, expect, it } from "vitest";
import type { LinkSignal } from "../../web/negotiation.ts";
import type { PeerLinkOptions } from "../../web/peer-connection.ts";
import { PeerMesh } from "../../web/peer-mesh.ts";
import type { Link } from "../../web/remote-peer.ts";
import type { ConsultationKeys } from "../../web/certificate-store.ts";
import type { Participant, Policy, SignalData } from "../../worker/protocol.ts";
import { FakeHost } from "./fake-host.ts";

const ana: Participant = { id: "a", name: "Ana", role: "host", verified: "token" };
const bo: Participant = { id: "b", name: "Bo", role: "guest", verified: "code" };
const cy: Participant = { id: "c", name: "Cy", role: "guest", verified: "code" };
const pair: Policy = { mode: "pair", maxParticipants: 2, chat: true, relayOnly: false };
const group: Policy = { mode: "group", maxParticipants: 5, chat: false, relayOnly: false };
const sdpWith = (hex: string) => `v=0\r\na=fingerprint:sha-256 ${hex}\r\n`;

/** A link without WebRTC: records what it is handed; the test plays the browser's part. */
class FakeLink implements Link {
  handled: LinkSignal[] = [];
  closed = false;
  chatOpen = false;
  code: string | null = "123 456";
  remoteFingerprint = "sha-256 BB";
  peerKnowsUs = false;
  constructor(readonly options: PeerLinkOptions) {}
  async handleSignal(signal: LinkSignal) {
    this.handled.push(signal);
  }
  async replaceVideoTrack() {}
  sendChat() {
    return this.chatOpen;
  }
  audioLevel() {
    return 0;
  }
  async quality() {
    return { path: "direct" as const, rttMs: 20, lossPercent: 0 };
  }
  async verify() {
    return this.code ? { freshCode: this.code, remoteFingerprint: this.remoteFingerprint, peerKnowsUs: this.peerKnowsUs } : null;
  }
  close() {
    this.closed = true;
  }
  /** The connection came up, as the browser would report it. */
  async connect() {
    this.options.onConnectionState("connected");
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

let links: FakeLink[];
let sent: [string, SignalData][];
let events: string[];
let keys: ConsultationKeys;
const commitOf = (n: string) => n.repeat(64);

function newMesh() {
  keys = { certificate: {} as RTCCertificate, fingerprint: "sha-256 AA", pins: {} };
  links = [];
  sent = [];
  events = [];
  return new PeerMesh(new FakeHost(), {
    send: (to, data) => void sent.push([to, data]),
    localStream: () => null,
    localMediaState: () => ({ microphone: false, camera: true }),
    events: {
      pairCode: (code, changed) => events.push(changed ? `pair ${code} changed` : `pair ${code}`),
      verificationFailed: (peer, message) => events.push(`failed ${peer.id} ${message}`),
      codesChanged: () => events.push("codes"),
      peerCodeChanged: (peer, code) => events.push(`${peer.id} ${code} changed`),
      chat: (peer, text) => events.push(`chat ${peer.id} ${text}`),
      sharingStarted: () => events.push("sharing"),
      mediaInterrupted: (interrupted) => events.push(`interrupted ${interrupted}`),
    },
    keyStore: { load: async () => keys, save: async () => {}, delete: async () => void (keys.pins = {}) },
    createLink: (options) => {
      const link = new FakeLink(options);
      links.push(link);
      return link;
    },
  });
}

const linkTo = (id: string) => links.filter((l) => l.options.remoteId === id).at(-1)!;

describe("media state between peers", () => {
  it("tells a peer ours once the link is up and whenever it changes, and keeps theirs", async () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], group);
    mesh.receive("b", { hello: true });
    sent.length = 0;
    await linkTo("b").connect();
    expect(sent).toEqual([["b", { media: { microphone: false, camera: true } }]]);
    mesh.mediaStateChanged();
    expect(sent).toHaveLength(2);

    mesh.receive("b", { media: { microphone: true, camera: false } });
    expect(mesh.remotes[0]!.media).toEqual({ microphone: true, camera: false });
    // Not a negotiation signal: the link never sees it.
    expect(linkTo("b").handled).toEqual([]);
  });
});

describe("the peer mesh's hello and offer decisions", () => {
  let mesh: PeerMesh;
  beforeEach(() => {
    mesh = newMesh();
  });

  it("greets everyone but you on a welcome, and waits for their offers", () => {
    mesh.restart(bo, [ana, bo, cy], [], group);
    expect(sent).toEqual([
      ["a", { hello: true }],
      ["c", { hello: true }],
    ]);
    expect(links).toEqual([]);
    expect(mesh.remotes.map((p) => p.id)).toEqual(["a", "c"]);
  });

  it("answers a newcomer's hello with a fresh link of its own, one polite side per pair", () => {
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    const first = linkTo("b");
    expect(first.options.polite).toBe(false);
    expect(first.handled).toEqual([]);
    mesh.receive("b", { hello: true });
    expect(first.closed).toBe(true);
    expect(links).toHaveLength(2);
    expect(mesh.remotes[0]!.link).toBe(linkTo("b"));
  });

  it("parses a signal once and hands the link the typed signal", () => {
    mesh.restart(bo, [ana, bo], [], pair);
    mesh.receive("a", { commit: commitOf("1") });
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("AA"), extra: "dropped" } } as unknown as SignalData);
    expect(links).toHaveLength(1);
    expect(linkTo("a").options.polite).toBe(true);
    expect(linkTo("a").handled).toEqual([{ description: { type: "offer", sdp: sdpWith("AA") } }]);
  });

  it("opens nothing for junk, nor for someone who is not in the call", () => {
    mesh.restart(bo, [ana, bo], [], pair);
    mesh.receive("a", { description: { type: "hack" } } as unknown as SignalData);
    mesh.receive("z", { hello: true });
    expect(links).toEqual([]);
  });

  it("starts a fresh link, answering it, for a peer's opening commitment, and keeps the link for a renegotiation", () => {
    mesh.restart(bo, [ana, bo], [], pair);
    mesh.receive("a", { commit: commitOf("1") });
    const first = linkTo("a");
    expect(first.options.peerCommit).toBe(commitOf("1"));
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("AA") } });
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("AA") } });
    expect(links).toEqual([first]);
    mesh.receive("a", { commit: commitOf("2") });
    expect(first.closed).toBe(true);
    expect(links).toHaveLength(2);
    expect(linkTo("a").options.peerCommit).toBe(commitOf("2"));
  });

  it("hands an answering commitment to the current link and opens nothing for a description without commitments", () => {
    mesh.restart(bo, [ana, bo], [], pair);
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("AA") } });
    mesh.receive("a", { candidate: { candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host" } });
    expect(links).toEqual([]);
    mesh.receive("a", { hello: true });
    mesh.receive("a", { commit: commitOf("3"), answers: commitOf("4") });
    expect(links).toHaveLength(1);
    expect(linkTo("a").handled).toEqual([{ commit: commitOf("3"), answers: commitOf("4") }]);
  });

  it("closes a link whose verification failed and reports it", () => {
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    linkTo("b").options.onVerificationFailed("no match");
    expect(linkTo("b").closed).toBe(true);
    expect(mesh.remotes[0]!.link).toBeNull();
    expect(events).toEqual(["failed b no match"]);
  });

  it("keeps every working connection through a welcome after our own reconnect, and greets only where the link failed", async () => {
    mesh.restart(ana, [ana, bo, cy], [], group);
    mesh.receive("b", { hello: true });
    mesh.receive("c", { hello: true });
    await linkTo("b").connect();
    await linkTo("c").connect();
    linkTo("c").options.onConnectionState("failed");
    const [toBo, toCy] = [linkTo("b"), linkTo("c")];
    sent = [];
    mesh.restart(ana, [ana, bo, cy], [], group);
    expect(toBo.closed).toBe(false);
    expect(mesh.remotes.find((p) => p.id === "b")!.link).toBe(toBo);
    expect(toCy.closed).toBe(true);
    expect(sent).toEqual([["c", { hello: true }]]);
    // Someone who left while we were away is not in the welcome.
    mesh.restart(ana, [ana, cy], [], group);
    expect(toBo.closed).toBe(true);
    expect(mesh.remotes.map((p) => p.id)).toEqual(["c"]);
  });

  it("tells once when media stops on a connection that was up, and once when it is back", async () => {
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    linkTo("b").options.onRemoteMedia({} as MediaStream);
    await linkTo("b").connect();
    linkTo("b").options.onConnectionState("disconnected");
    linkTo("b").options.onConnectionState("failed");
    expect(mesh.mediaInterrupted).toBe(true);
    expect(mesh.remotes[0]!.mediaInterrupted).toBe(true);
    await linkTo("b").connect();
    expect(mesh.mediaInterrupted).toBe(false);
    expect(events.filter((e) => e.startsWith("interrupted"))).toEqual(["interrupted true", "interrupted false"]);
  });

  it("closes the link of someone who left or came back on a new page", () => {
    mesh.restart(ana, [ana, bo, cy], [], group);
    mesh.receive("b", { hello: true });
    mesh.receive("c", { hello: true });
    mesh.add({ ...bo, name: "Bo B." });
    expect(linkTo("b").closed).toBe(true);
    expect(mesh.remotes.find((p) => p.id === "b")!.participant.name).toBe("Bo B.");
    mesh.remove("c");
    expect(linkTo("c").closed).toBe(true);
    expect(mesh.remotes.map((p) => p.id)).toEqual(["b"]);
  });
});

describe("verification codes per peer", () => {
  it("in a pair: one code, told once per connection, gone with the connection", async () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    expect(mesh.pairCode).toBeNull();
    await linkTo("b").connect();
    await linkTo("b").connect(); // ICE came back on the same connection: no news
    expect(mesh.pairCode).toBe("123 456");
    expect(events).toEqual(["pair 123 456"]);
    expect(mesh.withCodes([ana, bo])).toEqual([ana, bo]);

    mesh.add(bo);
    expect(mesh.pairCode).toBeNull();
    mesh.receive("b", { hello: true });
    await linkTo("b").connect();
    expect(events).toEqual(["pair 123 456", "pair 123 456"]);
  });

  it("in a group: each remote person carries their own code, and loses it with their connection", async () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo, cy], [], group);
    mesh.receive("b", { hello: true });
    mesh.receive("c", { hello: true });
    linkTo("c").code = "999 000";
    await linkTo("b").connect();
    await linkTo("c").connect();
    expect(mesh.pairCode).toBeNull();
    expect(mesh.withCodes([ana, bo, cy])).toEqual([ana, { ...bo, verificationCode: "123 456" }, { ...cy, verificationCode: "999 000" }]);
    expect(events).toEqual(["codes", "codes"]);

    mesh.remove("b");
    expect(events).toEqual(["codes", "codes", "codes"]);
    expect(mesh.withCodes([ana, cy])).toEqual([ana, { ...cy, verificationCode: "999 000" }]);
  });

  it("ignores a connection that was replaced before its code came", async () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    const old = linkTo("b");
    mesh.receive("b", { hello: true });
    old.options.onConnectionState("connected");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(mesh.pairCode).toBeNull();
    expect(events).toEqual([]);
  });

  it("shows media only while the connection is up", async () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    const peer = mesh.remotes[0]!;
    linkTo("b").options.onRemoteMedia({} as MediaStream);
    expect(peer.mediaUp).toBe(false);
    await linkTo("b").connect();
    expect(peer.mediaUp).toBe(true);
    linkTo("b").options.onConnectionState("failed");
    expect(peer.mediaUp).toBe(false);
  });
});

describe("codes remembered per peer across connections", () => {
  it("keeps the code when both sides kept their certificates, and says so on the wire", async () => {
    const mesh = newMesh();
    await mesh.prepare("c1");
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    expect(linkTo("b").options.knowsPeer).toBe(false);
    await linkTo("b").connect();
    expect(keys.pins.b).toEqual({ fingerprint: "sha-256 BB", code: "123 456" });

    // b reloads: same certificate, fresh nonces, so a different fresh code; both remember each other.
    mesh.receive("b", { commit: commitOf("1") });
    expect(linkTo("b").options.knowsPeer).toBe(true);
    linkTo("b").code = "777 888";
    linkTo("b").peerKnowsUs = true;
    await linkTo("b").connect();
    expect(mesh.pairCode).toBe("123 456");
    expect(mesh.pairCodeChanged).toBe(false);
    expect(events).toEqual(["pair 123 456", "pair 123 456"]);
  });

  it("shows the new code with a warning when the peer's certificate changed", async () => {
    const mesh = newMesh();
    await mesh.prepare("c1");
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    await linkTo("b").connect();

    mesh.receive("b", { commit: commitOf("2") });
    linkTo("b").code = "777 888";
    linkTo("b").remoteFingerprint = "sha-256 CC";
    linkTo("b").peerKnowsUs = true; // what a middle would claim: the certificate decides
    await linkTo("b").connect();
    expect(mesh.pairCode).toBe("777 888");
    expect(mesh.pairCodeChanged).toBe(true);
    expect(events).toEqual(["pair 123 456", "pair 777 888 changed"]);
    expect(keys.pins.b).toEqual({ fingerprint: "sha-256 CC", code: "777 888" });
  });

  it("uses the fresh code when the peer has forgotten us, so both sides show the same one", async () => {
    const mesh = newMesh();
    await mesh.prepare("c1");
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    await linkTo("b").connect();
    mesh.receive("b", { commit: commitOf("3") });
    linkTo("b").code = "777 888";
    await linkTo("b").connect();
    expect(events).toEqual(["pair 123 456", "pair 777 888 changed"]);
  });

  it("in a group: warns next to the person whose certificate changed, and only them", async () => {
    const mesh = newMesh();
    await mesh.prepare("c1");
    mesh.restart(ana, [ana, bo, cy], [], group);
    mesh.receive("b", { hello: true });
    mesh.receive("c", { hello: true });
    linkTo("c").code = "999 000";
    linkTo("c").remoteFingerprint = "sha-256 CC";
    await linkTo("b").connect();
    await linkTo("c").connect();
    expect(events).toEqual(["codes", "codes"]);

    // b comes back with another certificate (a middle that swapped it would, too); c reloads honestly.
    mesh.receive("b", { commit: commitOf("4") });
    linkTo("b").code = "777 888";
    linkTo("b").remoteFingerprint = "sha-256 DD";
    linkTo("b").peerKnowsUs = true;
    await linkTo("b").connect();
    mesh.receive("c", { commit: commitOf("5") });
    linkTo("c").code = "555 666";
    linkTo("c").remoteFingerprint = "sha-256 CC";
    linkTo("c").peerKnowsUs = true;
    await linkTo("c").connect();

    expect(mesh.pairCode).toBeNull();
    expect(mesh.pairCodeChanged).toBe(false);
    expect(mesh.withCodes([ana, bo, cy])).toEqual([
      ana,
      { ...bo, verificationCode: "777 888", verificationChanged: true },
      { ...cy, verificationCode: "999 000" },
    ]);
    expect(events).toEqual(["codes", "codes", "codes", "codes", "b 777 888 changed", "codes", "codes"]);
    expect(keys.pins.b).toEqual({ fingerprint: "sha-256 DD", code: "777 888" });

    // b reloads again, keeping the new certificate: the new code stands, the warning goes.
    mesh.receive("b", { commit: commitOf("6") });
    linkTo("b").code = "121 212";
    linkTo("b").remoteFingerprint = "sha-256 DD";
    linkTo("b").peerKnowsUs = true;
    await linkTo("b").connect();
    expect(mesh.withCodes([ana, bo])).toEqual([ana, { ...bo, verificationCode: "777 888" }]);
    expect(events.filter((e) => e.endsWith("changed"))).toEqual(["b 777 888 changed"]);
  });

  it("forgets the certificate and the codes when the call is over", async () => {
    const mesh = newMesh();
    await mesh.prepare("c1");
    keys.pins.b = { fingerprint: "sha-256 BB", code: "123 456" };
    mesh.close();
    expect(keys.pins).toEqual({});
  });
});

describe("chat limits over the mesh", () => {
  it("drops a flooding peer's lines beyond the burst", () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    for (let i = 0; i < 30; i++) linkTo("b").options.onChat(`spam ${i}`);
    expect(mesh.chatLines).toHaveLength(10);
  });
});

describe("chat over the mesh", () => {
  it("keeps a line only when some channel took it, and names the sender", () => {
    const mesh = newMesh();
    mesh.restart(ana, [ana, bo], [], pair);
    mesh.receive("b", { hello: true });
    mesh.sendChat("hei");
    expect(mesh.chatLines).toEqual([]);
    expect(mesh.chatReady).toBe(false);
    linkTo("b").chatOpen = true;
    expect(mesh.chatReady).toBe(true);
    mesh.sendChat("hei");
    linkTo("b").options.onChat("hallo");
    expect(mesh.chatLines.map((l) => [l.from, l.text])).toEqual([
      ["a", "hei"],
      ["b", "hallo"],
    ]);
    expect(events).toEqual(["chat b hallo"]);
  });
});
