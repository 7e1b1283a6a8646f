/**
 * Frame and rate limits: a frame over 64 KiB, or more than 50 messages a
 * second (bursts of 100), is refused with an `error`; the other
 * participants are not affected; a socket that goes on is closed 4008,
 * also when its refusals are spread across hibernation.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admittedGroup, admittedPair, settle, stubOf } from "./helpers.ts";

describe("limits", () => {
  it("a 70 KiB frame is too_large; the sender stays open and the others are unaffected", async () => {
    const { host, guest, hostId, guestId } = await admittedPair();
    guest.send({ type: "signal", to: hostId, data: { blob: "x".repeat(70 * 1024) } });
    expect((await guest.next("error")).code).toBe("too_large");
    expect(await host.received("signal")).toBe(false);
    expect(guest.closed).toBeUndefined();
    guest.send({ type: "signal", to: hostId, data: { n: 1 } });
    expect((await host.next("signal")).data).toEqual({ n: 1 });
    host.send({ type: "signal", to: guestId, data: { n: 2 } });
    expect((await guest.next("signal")).data).toEqual({ n: 2 });
  });

  it("a frame just under 64 KiB is relayed", async () => {
    const { host, guest, hostId } = await admittedPair();
    const blob = "y".repeat(60 * 1024);
    guest.send({ type: "signal", to: hostId, data: { blob } });
    expect((await host.next("signal")).data).toEqual({ blob });
  });

  it("multi-byte text counts in UTF-8 bytes: 30k three-byte characters are too large", async () => {
    const { guest, hostId } = await admittedPair();
    guest.send({ type: "signal", to: hostId, data: { blob: "€".repeat(30_000) } });
    expect((await guest.next("error")).code).toBe("too_large");
  });

  it("a burst of 100 is allowed", async () => {
    const { host, guest, hostId } = await admittedPair();
    for (let n = 0; n < 100; n++) guest.send({ type: "signal", to: hostId, data: { n } });
    await host.nextWhere("signal", (m) => m.data.n === 99, 5000);
    expect(guest.messages.filter((m) => m.type === "error")).toEqual([]);
  });

  it("a flood of 500 messages: rate_limited and/or 4008, while another participant's relay still works", { timeout: 30_000 }, async () => {
    const { host, hostId, guests } = await admittedGroup(2);
    const [flooder, calm] = guests as [typeof guests[number], typeof guests[number]];
    const started = performance.now();
    for (let n = 0; n < 500; n++) {
      if (flooder.closed) break;
      flooder.send({ type: "signal", to: hostId, data: { n } });
    }
    await settle(300);
    const elapsedSeconds = (performance.now() - started) / 1000;
    const errors = flooder.messages.filter((m) => m.type === "error");
    expect(errors.length > 0 || flooder.closed?.code === 4008).toBe(true);
    expect(errors.every((e) => e.code === "rate_limited")).toBe(true);
    // Far fewer than 500 got through: the burst of 100, plus what refilled at
    // 50 a second while the flood lasted (long on a busy machine, so the
    // bound is the time it really took, not a guess).
    const relayed = host.messages.filter((m) => m.type === "signal" && m.from === flooder.id).length;
    expect(relayed).toBeLessThanOrEqual(100 + Math.ceil(50 * elapsedSeconds));
    expect(relayed).toBeLessThan(500);
    // The calm guest and the host still talk both ways.
    calm.send({ type: "signal", to: hostId, data: { calm: true } });
    expect((await host.nextWhere("signal", (m) => m.from === calm.id)).data).toEqual({ calm: true });
    host.send({ type: "signal", to: calm.id, data: { back: true } });
    expect((await calm.next("signal")).data).toEqual({ back: true });
    expect(calm.messages.filter((m) => m.type === "error")).toEqual([]);
  });

  it("a socket that keeps flooding is closed 4008, and the call goes on", { timeout: 30_000 }, async () => {
    const { host, hostId, guests } = await admittedGroup(2);
    const [flooder, calm] = guests as [typeof guests[number], typeof guests[number]];
    for (let n = 0; n < 400 && !flooder.closed; n++) flooder.send({ type: "signal", to: hostId, data: { n } });
    expect((await flooder.closeEvent(3000)).code).toBe(4008);
    expect((await host.next("peer-left")).id).toBe(flooder.id);
    calm.send({ type: "signal", to: hostId, data: { calm: true } });
    await host.nextWhere("signal", (m) => m.from === calm.id);
  });

  it("refusals survive hibernation: 60 malformed frames, an eviction, and fewer than 60 more close the socket 4008", async () => {
    const { created, host, guest } = await admittedPair();
    for (let n = 0; n < 60; n++) guest.send("not json");
    for (let n = 0; n < 60; n++) expect((await guest.next("error")).code).toBe("invalid_request");
    // The object forgets everything in memory; the socket's attachment does
    // not. A fresh count would need 100 more refusals to close it.
    await evictDurableObject(stubOf(created.id));
    for (let n = 0; n < 60; n++) guest.send("not json");
    expect((await guest.closeEvent(3000)).code).toBe(4008);
    expect(guest.messages.filter((m) => m.type === "error").length).toBeLessThan(60);
    expect(host.closed).toBeUndefined();
  });

  it("oversized frames, sent on and on, close the socket 4008", async () => {
    const { guest, hostId } = await admittedPair();
    const big = JSON.stringify({ type: "signal", to: hostId, data: { blob: "z".repeat(65 * 1024) } });
    for (let n = 0; n < 150 && !guest.closed; n++) guest.send(big);
    expect((await guest.closeEvent(5000)).code).toBe(4008);
  });
});
