/**
 * The privacy relay in real browsers: a consultation created with
 * `relayOnly: true` carries its media through coturn only, and neither
 * browser ever learns the other's address. Nothing here forces the relay
 * on the page: the element must do it from the welcome's policy alone.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPerson } from "./browser.ts";
import {
  callMethod,
  callProperty,
  createConsultation,
  devToken,
  openCall,
  passDeviceCheck,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");

interface CandidateSeen {
  candidateType: string;
  address: string;
  port: number;
}

/** What one side's live peer connections show about how they connect. */
interface RouteReport {
  configurations: { iceTransportPolicy: string; urls: string[] }[];
  selected: { local: string; remote: string }[];
  /** Candidate pairs that carried any bytes, with the types of both their candidates. */
  usedPairs: { local: string; remote: string; bytesSent: number; bytesReceived: number }[];
  remoteCandidates: CandidateSeen[];
  /** Each `a=candidate` line of the remote descriptions (trickled candidates are added to them). */
  remoteSdpCandidates: string[];
}

function routeReport(page: Page): Promise<RouteReport> {
  return page.evaluate(async () => {
    const report: RouteReport = { configurations: [], selected: [], usedPairs: [], remoteCandidates: [], remoteSdpCandidates: [] };
    for (const pc of (window as any).samtalePeerConnections as RTCPeerConnection[]) {
      if (pc.connectionState !== "connected") continue;
      const configuration = pc.getConfiguration();
      report.configurations.push({
        iceTransportPolicy: configuration.iceTransportPolicy ?? "all",
        urls: (configuration.iceServers ?? []).flatMap((server) => [server.urls].flat()),
      });
      const stats = await pc.getStats();
      const typeOf = (id: string) => stats.get(id)?.candidateType ?? "missing";
      stats.forEach((entry) => {
        if (entry.type === "transport" && entry.selectedCandidatePairId) {
          const pair = stats.get(entry.selectedCandidatePairId);
          report.selected.push({ local: typeOf(pair.localCandidateId), remote: typeOf(pair.remoteCandidateId) });
        }
        if (entry.type === "candidate-pair" && ((entry.bytesSent ?? 0) > 0 || (entry.bytesReceived ?? 0) > 0)) {
          report.usedPairs.push({
            local: typeOf(entry.localCandidateId),
            remote: typeOf(entry.remoteCandidateId),
            bytesSent: entry.bytesSent ?? 0,
            bytesReceived: entry.bytesReceived ?? 0,
          });
        }
        if (entry.type === "remote-candidate") {
          report.remoteCandidates.push({ candidateType: entry.candidateType, address: entry.address ?? entry.ip, port: entry.port });
        }
      });
      const sdp = pc.remoteDescription?.sdp ?? "";
      report.remoteSdpCandidates.push(...sdp.split(/\r?\n/).filter((line) => line.startsWith("a=candidate:")));
    }
    return report;
  });
}

/** The host of a `turn:host:port?…` URL. */
const turnHost = (url: string) => /^turns?:([^:?]+)/i.exec(url)?.[1];

describe("a relay-only consultation", () => {
  let browser: Browser;
  let host: Page;
  let guest: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    host = (await newPerson(browser, worker)).page;
    guest = (await newPerson(browser, worker)).page;
    // Only watches: the relay policy must come from the element itself.
    for (const page of [host, guest]) await watchPeerConnections(page);
    const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    const consultation = await createConsultation(worker, hostToken, { invitee: { name: "Ola" }, relayOnly: true });
    await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
    await waitForState(host, "connected");
    await guest.goto(consultation.invite.url);
    await passDeviceCheck(guest);
    await callMethod(host, "admit", (await waitForKnock(host)).id);
    await waitForState(guest, "connected");
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("admits the guest and video flows both ways", async () => {
    await waitForRemoteVideo(guest);
    await waitForRemoteVideo(host);
  });

  it("tells both elements the policy, and hands them TURN servers only, no STUN", async () => {
    for (const page of [host, guest]) {
      expect(await callProperty<{ relayOnly: boolean }>(page, "policy")).toMatchObject({ relayOnly: true });
      const { configurations } = await routeReport(page);
      expect(configurations).toHaveLength(1);
      for (const { iceTransportPolicy, urls } of configurations) {
        expect(iceTransportPolicy).toBe("relay");
        expect(urls.length).toBeGreaterThan(0);
        // The deployment has STUN_URLS set: a relay-only welcome must leave them out.
        for (const url of urls) expect(url).toMatch(/^turns?:/i);
      }
    }
  });

  it("carries the media over relay candidates only, on both sides", async () => {
    for (const page of [host, guest]) {
      const { selected, usedPairs } = await routeReport(page);
      expect(selected).toEqual([{ local: "relay", remote: "relay" }]);
      expect(usedPairs.length).toBeGreaterThan(0);
      for (const pair of usedPairs) expect(pair, "a candidate pair that carried bytes").toMatchObject({ local: "relay", remote: "relay" });
    }
  });

  it("never shows either browser the other's address: only the relay's", async () => {
    for (const page of [host, guest]) {
      const { configurations, remoteCandidates, remoteSdpCandidates } = await routeReport(page);
      // coturn relays from the address it listens on here (its relay-ip).
      const relayAddress = turnHost(configurations[0]!.urls.find((url) => /^turns?:/i.test(url)) ?? "");
      expect(relayAddress).toBeTruthy();
      expect(remoteCandidates.length).toBeGreaterThan(0);
      for (const candidate of remoteCandidates) expect(candidate).toMatchObject({ candidateType: "relay", address: relayAddress });
      expect(remoteSdpCandidates.length).toBeGreaterThan(0);
      for (const line of remoteSdpCandidates) {
        expect(line).toMatch(/ typ relay( |$)/);
        expect(line).not.toMatch(/ typ (host|srflx|prflx)( |$)/);
      }
    }
  });
});
