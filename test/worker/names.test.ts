/**
 * Names are shown to other people: bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which could make a name or the text
 * around it read in another order, are removed wherever a name enters,
 * from a token's `name` claim and from an invite's.
 */
import { describe, expect, it } from "vitest";
import { bearer, connect, createConsultation, errorCode, partnerToken, postJson } from "./helpers.ts";

const BIDI = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"];
const BIDI_PATTERN = /[\u202A-\u202E\u2066-\u2069]/;

describe("bidi controls in names", () => {
  it("are removed from a token's `name`, as the host sees itself and as the lobby hears it", async () => {
    const hostToken = await partnerToken({ role: "practitioner", name: `\u202EKari\u202C Fysio ${BIDI.join("")}` });
    const created = await postJson("/api/v1/consultations", { invitee: { name: "Ola" } }, bearer(hostToken));
    const { id, invite } = (await created.json()) as { id: string; invite: { code: string } };
    const host = await connect(id, { token: hostToken });
    expect((await host.next("welcome")).you.name).toBe("Kari Fysio");
    const guest = await connect(id, { code: invite.code });
    const lobby = await guest.next("lobby");
    expect(lobby.hostName).toBe("Kari Fysio");
    expect(JSON.stringify(lobby)).not.toMatch(BIDI_PATTERN);
  });

  it("are removed from an invite's `name` before the host sees it knock", async () => {
    const { id, hostToken, invite } = await createConsultation({ invitee: { name: `O\u2066la\u2069 \u202Dgnirts` } });
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    await connect(id, { code: invite.code! });
    const { participant } = await host.next("knock");
    expect(participant.name).toBe("Ola gnirts");
  });

  it("are removed from a group invite's `name` too", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", invitee: {} });
    const response = await postJson(`/api/v1/consultations/${id}/invites`, { name: "\u202BBjørn\u202C" }, bearer(hostToken));
    expect(response.status).toBe(201);
    const { invite } = (await response.json()) as { invite: { code: string } };
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    await connect(id, { code: invite.code });
    expect((await host.next("knock")).participant.name).toBe("Bjørn");
  });

  it("a name of nothing but bidi controls is refused, as an empty one is", async () => {
    const response = await postJson("/api/v1/consultations", { invitee: { name: BIDI.join("") } }, bearer(await partnerToken({ role: "practitioner" })));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  });

  it("a token whose `name` is only bidi controls gets the default name", async () => {
    const hostToken = await partnerToken({ role: "practitioner", name: "\u202E\u2066" });
    const created = await postJson("/api/v1/consultations", { invitee: {} }, bearer(hostToken));
    const { id } = (await created.json()) as { id: string };
    const host = await connect(id, { token: hostToken });
    expect((await host.next("welcome")).you.name).toBe("Practitioner");
  });
});
