import { describe, expect, it } from "vitest";
import { dtlsFingerprint, verificationCode } from "../../web/verification-code.ts";

const fingerprintA = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:FB:D9:56:8E:B5:4A:81:B0:5A:C0:B3";
const fingerprintB = "sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";

function sdp(fingerprint: string): string {
  return [
    "v=0",
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111",
    "c=IN IP4 0.0.0.0",
    "a=ice-ufrag:abcd",
    `a=fingerprint:${fingerprint}`,
    "a=setup:actpass",
    "",
  ].join("\r\n");
}

describe("the DTLS fingerprint in an SDP", () => {
  it("is read and normalised (lower-case algorithm, upper-case hex)", () => {
    expect(dtlsFingerprint(sdp(fingerprintA.replace("sha-256", "SHA-256").toLowerCase()))).toBe(fingerprintA);
  });

  it("is null when the SDP has none", () => {
    expect(dtlsFingerprint("v=0\r\ns=-\r\n")).toBeNull();
  });
});

describe("a description with more than one fingerprint", () => {
  it("is refused, so DTLS cannot check another certificate than the one committed to", () => {
    const two = sdp(fingerprintA) + `a=fingerprint:${fingerprintB}\r\n`;
    expect(dtlsFingerprint(two)).toBeNull();
  });

  it("is fine when the same fingerprint is repeated per media section", () => {
    expect(dtlsFingerprint(sdp(fingerprintA) + `a=fingerprint:${fingerprintA.toLowerCase().replace("sha-256", "SHA-256")}\r\n`)).toBe(fingerprintA);
  });
});

describe("the verification code", () => {
  const nonceA = "0a".repeat(32);
  const nonceB = "0b".repeat(32);
  const a = { fingerprint: fingerprintA, nonce: nonceA };
  const b = { fingerprint: fingerprintB, nonce: nonceB };

  it("is six digits in two groups of three", async () => {
    expect(await verificationCode(a, b)).toMatch(/^\d{3} \d{3}$/);
  });

  it("is the same on both sides, whichever is local", async () => {
    expect(await verificationCode(a, b)).toBe(await verificationCode(b, a));
  });

  it("differs when someone in the middle substituted a certificate", async () => {
    const attacker = { fingerprint: fingerprintB.replace("11:22", "11:23"), nonce: nonceB };
    expect(await verificationCode(a, attacker)).not.toBe(await verificationCode(a, b));
  });

  it("depends on both nonces, so a known fingerprint cannot be ground against", async () => {
    expect(await verificationCode({ ...a, nonce: "0c".repeat(32) }, b)).not.toBe(await verificationCode(a, b));
    expect(await verificationCode(a, { ...b, nonce: "0c".repeat(32) })).not.toBe(await verificationCode(a, b));
  });

  it("does not let a nonce stand in for a fingerprint", async () => {
    const swapped = await verificationCode({ fingerprint: fingerprintA, nonce: nonceB }, { fingerprint: fingerprintB, nonce: nonceA });
    expect(swapped).not.toBe(await verificationCode(a, b));
  });
});
