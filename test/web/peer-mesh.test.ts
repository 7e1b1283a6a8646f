import { beforeEach, describe, expect, it } from "vitest";
import type { LinkSignal } from "../../web/negotiation.ts";
import type { PeerLinkOptions } from "../../web/peer-connection.ts";
import { PeerMesh } from "../../web/peer-mesh.ts";
import type { Link } from "../../web/remote-peer.ts";
import type { Participant, Policy, SignalData } from "../../worker/protocol.ts";
import { FakeHost } from "./fake-host.ts";

const ana: Participant = { id: "a", name: "Ana", role: "host", verified: "token" };
const bo: Participant = { id: "b", name: "Bo", role: "guest", verified: "code" };
const cy: Participant = { id: "c", name: "Cy", role: "guest", verified: "code" };
const pair: Policy = { mode: "pair", maxParticipants: 2, chat: true };
const group: Policy = { mode: "group", maxParticipants: 5, chat: false };
const sdpWith = (hex: string) => `v=0\r\na=fingerprint:sha-256 ${hex}\r\n`;

/** A link without WebRTC: records what it is handed; the test plays the browser's part. */
class FakeLink implements Link {
  handled: LinkSignal[] = [];
  closed = false;
  remoteSdp: string | undefined = undefined;
  chatOpen = false;
  code: string | null = "123 456";
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
  async verificationCode() {
    return this.code;
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

function newMesh() {
  links = [];
  sent = [];
  events = [];
  return new PeerMesh(new FakeHost(), {
    send: (to, data) => void sent.push([to, data]),
    localStream: () => null,
    localMediaState: () => ({ microphone: false, camera: true }),
    events: {
      pairCode: (code) => events.push(`pair ${code}`),
      codesChanged: () => events.push("codes"),
      chat: (peer, text) => events.push(`chat ${peer.id} ${text}`),
      sharingStarted: () => events.push("sharing"),
    },
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

  it("starts a fresh link for an offer from a new certificate, and keeps the link for a renegotiation", () => {
    mesh.restart(bo, [ana, bo], [], pair);
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("AA") } });
    const first = linkTo("a");
    first.remoteSdp = sdpWith("AA");
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("aa") } });
    expect(links).toEqual([first]);
    mesh.receive("a", { description: { type: "offer", sdp: sdpWith("BB") } });
    expect(first.closed).toBe(true);
    expect(links).toHaveLength(2);
    expect(linkTo("a").handled).toEqual([{ description: { type: "offer", sdp: sdpWith("BB") } }]);
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
