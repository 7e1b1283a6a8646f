/**
 * The signal relay: only between admitted participants, `data` unchanged,
 * `from` always the sender's own id; malformed messages are refused with
 * `invalid_request` and the socket stays usable.
 */
import { describe, expect, it } from "vitest";
import { admittedGroup, admittedPair, lobbyGuest, settle } from "./helpers.ts";

describe("relay", () => {
  it("relays data unchanged, with `from` set to the sender", async () => {
    const { host, guest, guestId, hostId } = await admittedPair();
    const data = { description: { type: "offer", sdp: "v=0\r\n…" }, nested: [1, { a: null }] };
    guest.send({ type: "signal", to: hostId, data });
    const signal = await host.next("signal");
    expect(signal).toEqual({ type: "signal", from: guestId, data });
    host.send({ type: "signal", to: guestId, data: { candidate: "x" } });
    expect(await guest.next("signal")).toEqual({ type: "signal", from: hostId, data: { candidate: "x" } });
  });

  it("a forged `from` is replaced by the sender's id", async () => {
    const { hostId, guests } = await admittedGroup(2);
    const [alice, bob] = guests as [typeof guests[number], typeof guests[number]];
    alice.send({ type: "signal", to: bob.id, from: hostId, data: { from: hostId } });
    const signal = await bob.next("signal");
    expect(signal.from).toBe(alice.id);
    // `data` travels unchanged, even a `from` inside it.
    expect(signal.data).toEqual({ from: hostId });
  });

  it("a signal reaches only its addressee", async () => {
    const { host, hostId, guests } = await admittedGroup(2);
    const [alice, bob] = guests as [typeof guests[number], typeof guests[number]];
    alice.send({ type: "signal", to: hostId, data: { n: 1 } });
    await host.next("signal");
    expect(await bob.received("signal")).toBe(false);
  });

  it("`to` an unknown id, to oneself, or to someone in the lobby is not_found", async () => {
    const { created, host, guests } = await admittedGroup(1);
    const waiting = await lobbyGuest(created);
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    const guest = guests[0]!;
    for (const to of ["pZZZZZZZZZZZZ", guest.id, waiting.id]) {
      guest.send({ type: "signal", to, data: {} });
      expect((await guest.next("error")).code, to).toBe("not_found");
    }
    await settle();
    expect(waiting.messages).toEqual([]);
  });

  it("a signal to a participant who left is not_found", async () => {
    const { host, guest, guestId } = await admittedPair();
    guest.close();
    await host.next("peer-left");
    host.send({ type: "signal", to: guestId, data: {} });
    expect((await host.next("error")).code).toBe("not_found");
  });

  it("malformed JSON, unknown types and bad shapes are invalid_request; the socket stays open", async () => {
    const { host, guest, hostId } = await admittedPair();
    for (const frame of [
      "{not json",
      "[]",
      "42",
      "null",
      JSON.stringify({ type: "teleport" }),
      JSON.stringify({ no: "type" }),
      JSON.stringify({ type: "signal", to: hostId }),
      JSON.stringify({ type: "signal", to: hostId, data: "text" }),
      JSON.stringify({ type: "signal", to: 7, data: {} }),
      JSON.stringify({ type: "admit" }),
      JSON.stringify({ type: "deny", id: "" }),
    ]) {
      guest.send(frame);
      expect((await guest.next("error")).code, frame).toBe("invalid_request");
    }
    expect(guest.closed).toBeUndefined();
    guest.send({ type: "signal", to: hostId, data: { still: "works" } });
    expect((await host.next("signal")).data).toEqual({ still: "works" });
  });

  it("`__proto__` keys are plain data, never a prototype: no hidden type, id or end", async () => {
    const { host, guest, hostId } = await admittedPair();
    host.send('{"__proto__": {"type": "end"}}');
    expect((await host.next("error")).code).toBe("invalid_request");
    host.send('{"type": "admit", "__proto__": {"id": "pAAAAAAAAAAAA"}}');
    expect((await host.next("error")).code).toBe("invalid_request");
    guest.send(`{"__proto__": {"to": "${hostId}", "data": {}}, "type": "signal"}`);
    expect((await guest.next("error")).code).toBe("invalid_request");
    expect(await guest.received("ended", 100)).toBe(false);
    // Still working afterwards, and a `__proto__` inside data is relayed as data.
    guest.send(`{"type": "signal", "to": "${hostId}", "data": {"__proto__": {"polluted": true}}}`);
    const signal = await host.next("signal");
    expect(Object.hasOwn(signal.data, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("binary frames are invalid_request", async () => {
    const { guest } = await admittedPair();
    guest.ws.send(new Uint8Array([1, 2, 3]));
    expect((await guest.next("error")).code).toBe("invalid_request");
    expect(guest.closed).toBeUndefined();
  });

  it("a guest leaving: the others get peer-left", async () => {
    const { host, guests } = await admittedGroup(2);
    const [alice, bob] = guests as [typeof guests[number], typeof guests[number]];
    alice.close();
    expect((await host.next("peer-left")).id).toBe(alice.id);
    expect((await bob.next("peer-left")).id).toBe(alice.id);
  });
});
