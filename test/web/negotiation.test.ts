import { describe, expect, it } from "vitest";
import { isPolite, parsePeerSignal, shouldIgnoreOffer } from "../../web/negotiation.ts";

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

describe("commitments and reveals in signal data", () => {
  const hex = "ab".repeat(32);
  it("takes an opening commitment, an answering one, and a reveal", () => {
    expect(parsePeerSignal({ commit: hex })).toEqual({ commit: hex });
    expect(parsePeerSignal({ commit: hex, answers: hex })).toEqual({ commit: hex, answers: hex });
    expect(parsePeerSignal({ reveal: { fingerprint: "sha-256 AA", nonce: hex, pinned: false, extra: 1 } })).toEqual({
      reveal: { fingerprint: "sha-256 AA", nonce: hex, pinned: false },
    });
  });

  it("drops a malformed commitment or reveal", () => {
    expect(parsePeerSignal({ commit: "AB".repeat(32) })).toBeNull();
    expect(parsePeerSignal({ commit: hex, answers: 5 })).toBeNull();
    expect(parsePeerSignal({ reveal: { fingerprint: "sha-256 AA", nonce: "short", pinned: false } })).toBeNull();
    expect(parsePeerSignal({ reveal: { fingerprint: "x".repeat(201), nonce: hex, pinned: false } })).toBeNull();
    expect(parsePeerSignal({ reveal: { fingerprint: "sha-256 AA", nonce: hex } })).toBeNull();
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
