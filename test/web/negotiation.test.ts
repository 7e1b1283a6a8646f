import { describe, expect, it } from "vitest";
import { isNewSession, isPolite, parsePeerSignal, shouldIgnoreOffer } from "../../web/negotiation.ts";

const sdpWith = (hex: string) => `v=0\r\na=fingerprint:sha-256 ${hex}\r\n`;

describe("perfect negotiation roles", () => {
  it("gives exactly one side of every pair the polite role", () => {
    const ids = ["a1", "b2", "Zz", "m-9"];
    for (const a of ids) {
      for (const b of ids) {
        if (a === b) continue;
        expect(isPolite(a, b)).not.toBe(isPolite(b, a));
      }
    }
  });
});

describe("offer collisions", () => {
  it("makes the impolite side ignore an offer while it is making its own", () => {
    expect(shouldIgnoreOffer("offer", { polite: false, makingOffer: true, signalingState: "stable" })).toBe(true);
    expect(shouldIgnoreOffer("offer", { polite: false, makingOffer: false, signalingState: "have-local-offer" })).toBe(true);
  });

  it("makes the polite side accept the colliding offer (it rolls back)", () => {
    expect(shouldIgnoreOffer("offer", { polite: true, makingOffer: true, signalingState: "have-local-offer" })).toBe(false);
  });

  it("never ignores an offer without a collision, nor an answer", () => {
    expect(shouldIgnoreOffer("offer", { polite: false, makingOffer: false, signalingState: "stable" })).toBe(false);
    expect(shouldIgnoreOffer("answer", { polite: false, makingOffer: true, signalingState: "have-local-offer" })).toBe(false);
  });
});

describe("a peer that restarted its connection", () => {
  it("is recognised by a changed DTLS fingerprint", () => {
    expect(isNewSession(sdpWith("AA:BB"), sdpWith("CC:DD"))).toBe(true);
  });

  it("is not assumed on a renegotiation with the same certificate, nor before any remote description", () => {
    expect(isNewSession(sdpWith("AA:BB"), sdpWith("aa:bb"))).toBe(false);
    expect(isNewSession(undefined, sdpWith("CC:DD"))).toBe(false);
  });
});

describe("relayed signal data", () => {
  it("accepts a description and a candidate", () => {
    expect(parsePeerSignal({ description: { type: "offer", sdp: "v=0" } })).toEqual({ description: { type: "offer", sdp: "v=0" } });
    const candidate = { candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 };
    expect(parsePeerSignal({ candidate })).toEqual({ candidate });
  });

  it("accepts a newcomer's hello, and only `hello: true`", () => {
    expect(parsePeerSignal({ hello: true })).toEqual({ hello: true });
    expect(parsePeerSignal({ hello: "yes" })).toBeNull();
  });

  it("drops anything else", () => {
    expect(parsePeerSignal(null)).toBeNull();
    expect(parsePeerSignal({ description: { type: "hack", sdp: "v=0" } })).toBeNull();
    expect(parsePeerSignal({ description: { type: "offer", sdp: 42 } })).toBeNull();
    expect(parsePeerSignal({ candidate: { candidate: 7 } })).toBeNull();
    expect(parsePeerSignal({ other: true })).toBeNull();
  });
});
