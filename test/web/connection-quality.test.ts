import { describe, expect, it } from "vitest";
import { summarizeStats } from "../../web/connection-quality.ts";

function report(localType: string, remoteType: string) {
  return [
    { id: "T1", type: "transport", selectedCandidatePairId: "CP1" },
    { id: "CP1", type: "candidate-pair", localCandidateId: "L1", remoteCandidateId: "R1", currentRoundTripTime: 0.0421, nominated: true, state: "succeeded" },
    { id: "L1", type: "local-candidate", candidateType: localType },
    { id: "R1", type: "remote-candidate", candidateType: remoteType },
    { id: "IA", type: "inbound-rtp", kind: "audio", packetsReceived: 990, packetsLost: 10 },
    { id: "IV", type: "inbound-rtp", kind: "video", packetsReceived: 1000, packetsLost: 0 },
  ];
}

describe("the connection indicator's figures", () => {
  it("reports a direct path, the round trip in ms and the loss", () => {
    expect(summarizeStats(report("host", "srflx"))).toEqual({ path: "direct", rttMs: 42, lossPercent: 0.5 });
  });

  it("reports a relayed path when either candidate is a TURN relay", () => {
    expect(summarizeStats(report("relay", "host")).path).toBe("relayed");
    expect(summarizeStats(report("host", "relay")).path).toBe("relayed");
  });

  it("falls back to the nominated pair when the transport names none", () => {
    const stats = report("prflx", "host").filter((s) => s.type !== "transport");
    expect(summarizeStats(stats).path).toBe("direct");
  });

  it("knows nothing before the connection is up", () => {
    expect(summarizeStats([])).toEqual({ path: "unknown", rttMs: null, lossPercent: null });
  });
});
