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

describe("the verification code", () => {
  it("is six digits in two groups of three", async () => {
    expect(await verificationCode(sdp(fingerprintA), sdp(fingerprintB))).toMatch(/^\d{3} \d{3}$/);
  });

  it("is the same on both sides, whichever SDP is local", async () => {
    const mine = await verificationCode(sdp(fingerprintA), sdp(fingerprintB));
    const theirs = await verificationCode(sdp(fingerprintB), sdp(fingerprintA));
    expect(mine).toBe(theirs);
  });

  it("differs when someone in the middle substituted a certificate", async () => {
    const honest = await verificationCode(sdp(fingerprintA), sdp(fingerprintB));
    const attacker = fingerprintB.replace("11:22", "11:23");
    expect(await verificationCode(sdp(fingerprintA), sdp(attacker))).not.toBe(honest);
  });

  it("is null when either side's fingerprint is missing", async () => {
    expect(await verificationCode(sdp(fingerprintA), "v=0\r\n")).toBeNull();
  });
});
