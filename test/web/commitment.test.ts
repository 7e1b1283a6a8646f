import { describe, expect, it } from "vitest";
import { commitment, freshNonce, revealMatches } from "../../web/commitment.ts";

const fingerprint = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:FB:D9:56:8E:B5:4A:81:B0:5A:C0:B3";
const other = fingerprint.replace("4A:AD", "4A:AE");

describe("commit, then reveal", () => {
  it("gives a fresh 256-bit nonce each time, as the signal parser expects", () => {
    const first = freshNonce();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(freshNonce()).not.toBe(first);
  });

  it("accepts the reveal of what was committed", async () => {
    const nonce = freshNonce();
    expect(await revealMatches(await commitment(fingerprint, nonce), fingerprint, nonce)).toBe(true);
  });

  it("refuses another certificate revealed after the commitment", async () => {
    const nonce = freshNonce();
    expect(await revealMatches(await commitment(fingerprint, nonce), other, nonce)).toBe(false);
  });

  it("refuses another nonce, so the same certificate after a reload needs its own commitment", async () => {
    const committed = await commitment(fingerprint, freshNonce());
    expect(await revealMatches(committed, fingerprint, freshNonce())).toBe(false);
  });

  it("hides the fingerprint: the same certificate commits differently with each nonce", async () => {
    expect(await commitment(fingerprint, freshNonce())).not.toBe(await commitment(fingerprint, freshNonce()));
  });
});
