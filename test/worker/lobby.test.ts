/**
 * The lobby: a guest is never admitted automatically; lobby sockets hear
 * `lobby` and nothing else (no roster, no signals, no ICE servers) and may
 * not signal, admit, deny or end; only the host admits and denies.
 */
import { describe, expect, it } from "vitest";
import { admittedGroup, admittedPair, connect, createConsultation, join, lobbyGuest, settle, knockingPair } from "./helpers.ts";

describe("lobby", () => {
  it("a guest waits in the lobby with only `you`, and the host gets a knock", async () => {
    const { id, hostToken, invite } = await createConsultation({ invitee: { name: "Ola" } });
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    const lobby = await guest.next("lobby");
    // `you` and the host's name: no roster, no ICE servers.
    expect(Object.keys(lobby).sort()).toEqual(["hostName", "type", "you"]);
    expect(lobby.hostName).toBe("Kari Fysio");
    expect(lobby.you).toMatchObject({ name: "Ola", role: "guest", verified: "code" });
    const knock = await host.next("knock");
    expect(knock.participant).toEqual(lobby.you);
  });

  it("the host's welcome lists the host itself, and a guest's lists everyone in the call", async () => {
    const { id, hostToken } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    const welcome = await host.next("welcome");
    expect(welcome.participants).toEqual([welcome.you]);
    expect(welcome.you).toMatchObject({ role: "host", verified: "token", name: "Kari Fysio" });
  });

  it("a guest is never admitted automatically", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    await guest.next("lobby");
    expect(await guest.received("welcome", 300)).toBe(false);
    expect(await host.received("peer-joined", 0)).toBe(false);
  });

  it("a guest waiting before the host connects: the host gets the knock on connecting", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const guest = await connect(id, { code: invite.code! });
    const { you } = await guest.next("lobby");
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    expect((await host.next("knock")).participant).toEqual(you);
  });

  it("a lobby socket may not signal, admit, deny or end", async () => {
    const { created, host, hostId, guests } = await admittedGroup(1);
    const waiting = await lobbyGuest(created);
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    const other = await lobbyGuest(created);
    for (const message of [
      { type: "signal", to: hostId, data: { description: "offer" } },
      { type: "admit", id: other.id },
      { type: "admit", id: waiting.id },
      { type: "deny", id: other.id },
      { type: "end" },
    ]) {
      waiting.send(message);
      expect((await waiting.next("error")).code, message.type).toBe("forbidden");
    }
    expect(await host.received("signal", 0)).toBe(false);
    expect(await other.received("welcome", 0)).toBe(false);
    expect(other.closed).toBeUndefined();
    expect(await guests[0]!.received("ended", 0)).toBe(false);
  });

  it("a lobby socket receives no roster, signals, peer events or ICE servers", async () => {
    const { created, host, hostId, guests } = await admittedGroup(1);
    const waiting = await lobbyGuest(created);
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    const guest = guests[0]!;
    guest.send({ type: "signal", to: hostId, data: { candidate: "c" } });
    host.send({ type: "signal", to: guest.id, data: { candidate: "h" } });
    await host.next("signal");
    await guest.next("signal");
    // A third guest is admitted: the lobby must not hear of it either.
    const third = await lobbyGuest(created);
    host.send({ type: "admit", id: (await host.nextWhere("knock", (m) => m.participant.id === third.id)).participant.id });
    await third.next("welcome");
    guest.close();
    await host.next("peer-left");
    await settle();
    // `lobby` was taken by lobbyGuest(); nothing else ever came.
    expect(waiting.messages).toEqual([]);
    expect(waiting.closed).toBeUndefined();
  });

  it("admit: the guest gets welcome with the roster, everyone admitted gets peer-joined", async () => {
    const { welcome, joined, guestId, hostId } = await admittedPair();
    expect(welcome.you.id).toBe(guestId);
    expect(welcome.participants.map((p) => p.id).sort()).toEqual([guestId, hostId].sort());
    expect(joined.participant.id).toBe(guestId);
  });

  it("an admitted guest (not the host) may not admit, deny or end", async () => {
    const { created, host, guests } = await admittedGroup(1);
    const waiting = await lobbyGuest(created);
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    const guest = guests[0]!;
    for (const message of [{ type: "admit", id: waiting.id }, { type: "deny", id: waiting.id }, { type: "end" }]) {
      guest.send(message);
      expect((await guest.next("error")).code, message.type).toBe("forbidden");
    }
    expect(await waiting.received("welcome", 100)).toBe(false);
    expect(waiting.closed).toBeUndefined();
    expect(await host.received("ended", 0)).toBe(false);
  });

  it("admitting or denying someone not waiting is not_found", async () => {
    const { host, guestId } = await admittedPair();
    host.send({ type: "admit", id: guestId });
    expect((await host.next("error")).code).toBe("not_found");
    host.send({ type: "deny", id: "pAAAAAAAAAAAA" });
    expect((await host.next("error")).code).toBe("not_found");
  });

  it("deny: the guest is closed 4010, the host gets lobby-left, the resume is 403", async () => {
    const { id, host, guest, participant } = await knockingPair();
    host.send({ type: "deny", id: participant.id });
    expect((await guest.closeEvent()).code).toBe(4010);
    expect((await host.next("lobby-left")).id).toBe(participant.id);
    expect(await guest.received("welcome", 0)).toBe(false);
    expect((await join(id, { resume: guest.resume! })).status).toBe(403);
  });

  it("a guest leaving the lobby: the host gets lobby-left", async () => {
    const { host, guest, participant } = await knockingPair();
    guest.close();
    expect((await host.next("lobby-left")).id).toBe(participant.id);
  });

  it("a waiting guest who comes back via resume is in the lobby again and knocks again", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    await host.next("knock");
    guest.close();
    await host.next("lobby-left");
    const back = await connect(id, { resume: guest.resume! });
    await back.next("lobby");
    await host.next("knock");
  });

  it("an admitted guest reconnecting via resume gets welcome, not lobby", async () => {
    const { created, guest, host, guestId } = await admittedPair();
    guest.close();
    await host.next("peer-left");
    const back = await connect(created.id, { resume: guest.resume! });
    const welcome = await back.next("welcome");
    expect(welcome.you.id).toBe(guestId);
    expect(back.messages.some((m) => m.type === "lobby")).toBe(false);
    expect((await host.next("peer-joined")).participant.id).toBe(guestId);
  });

  it("a second socket for the same participant replaces the first (4003) without peer-left", async () => {
    const { created, guest, host, guestId } = await admittedPair();
    const second = await connect(created.id, { resume: guest.resume! });
    expect((await second.next("welcome")).you.id).toBe(guestId);
    expect((await guest.closeEvent()).code).toBe(4003);
    expect(await host.received("peer-left", 200)).toBe(false);
    expect(await host.received("peer-joined", 0)).toBe(false);
    // The new socket is the one signals reach.
    host.send({ type: "signal", to: guestId, data: { n: 1 } });
    expect((await second.next("signal")).data).toEqual({ n: 1 });
  });

  it("a second host socket replaces the first (4003) and the guest hears no peer-left", async () => {
    const { created, guest, host } = await admittedPair();
    const second = await connect(created.id, { token: created.hostToken });
    await second.next("welcome");
    expect((await host.closeEvent()).code).toBe(4003);
    expect(await guest.received("peer-left", 200)).toBe(false);
  });
});
