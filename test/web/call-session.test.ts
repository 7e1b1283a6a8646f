import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallError } from "../../web/call-error.ts";
import { CallSession, type PeerDirectory, type SessionEvents, type Signaling } from "../../web/call-session.ts";
import { SignalingClient, type SignalingOptions } from "../../web/signaling-client.ts";
import type { Participant, Policy, ServerMessage } from "../../worker/protocol.ts";
import { FakeHost, memoryStorage } from "./fake-host.ts";

const host: Participant = { id: "h", name: "Dr Berg", role: "host", verified: "token" };
const guest: Participant = { id: "g", name: "Kari", role: "guest", verified: "code" };
const other: Participant = { id: "o", name: "Ola", role: "guest", verified: "code" };
const policy: Policy = { mode: "group", maxParticipants: 5, chat: true, relayOnly: false };
const welcome = (you: Participant, participants: Participant[]): ServerMessage => ({
  type: "welcome",
  you,
  participants,
  iceServers: [],
  policy,
  expiresAt: "2099-01-01T00:00:00Z",
});

/** The line to the service, without a service: records what is sent, answers as told. */
class FakeSignaling implements Signaling {
  sent: unknown[] = [];
  open = true;
  closed = false;
  endByRequest = vi.fn(async () => {});
  inviteByRequest = vi.fn(async (_name?: string) => ({ code: "c0de", url: "https://s.example/join#consultation=c1&code=c0de", expiresAt: "2099-01-01T00:00:00Z" }));
  constructor(readonly options: SignalingOptions) {}
  async connect() {}
  send(message: unknown) {
    if (!this.open) return false;
    this.sent.push(message);
    return true;
  }
  close() {
    this.closed = true;
  }
  retryNow = vi.fn();
}

let storage: ReturnType<typeof memoryStorage>;
let signaling: FakeSignaling;
let calls: string[];
let peers: { [K in keyof PeerDirectory]: PeerDirectory[K] & ReturnType<typeof vi.fn<PeerDirectory[K]>> };

function newSession(credential: { token?: string; code?: string } = { token: "jwt" }) {
  calls = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push(`${name}${args.length ? ` ${JSON.stringify(args[0])}` : ""}`);
  const events: SessionEvents = {
    stateChanged: record("state"),
    participantsChanged: record("participants"),
    knocked: (p) => calls.push(`knock ${p.id}`),
    welcomed: record("welcomed"),
    peerJoined: (p) => calls.push(`joined ${p.id}`),
    peerLeft: (p) => calls.push(`left ${p.id}`),
    ended: record("ended"),
    reported: (e) => calls.push(`error ${e.code}`),
    released: record("released"),
  };
  peers = {
    restart: vi.fn<PeerDirectory["restart"]>(),
    add: vi.fn<PeerDirectory["add"]>(),
    remove: vi.fn<PeerDirectory["remove"]>(),
    receive: vi.fn<PeerDirectory["receive"]>(),
    close: vi.fn<PeerDirectory["close"]>(),
  };
  const fakeHost = new FakeHost();
  const session = new CallSession(fakeHost, {
    config: () => ({ apiBase: null, consultation: "c1", token: credential.token ?? null, code: credential.code ?? null }),
    peers,
    events,
    connect: (options) => (signaling = new FakeSignaling(options)),
  });
  return { session, fakeHost };
}

async function joined(credential?: { token?: string; code?: string }) {
  const made = newSession(credential);
  await made.session.join(async () => {});
  return made;
}

beforeEach(() => {
  storage = memoryStorage();
  vi.stubGlobal("sessionStorage", storage);
});
afterEach(() => vi.unstubAllGlobals());

describe("host control", () => {
  it("sends remove for an admitted or waiting person, and takes a waiting one off the list at once", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host, guest]));
    session.receive({ type: "knock", participant: other });
    session.remove("g");
    session.remove("o");
    expect(signaling.sent).toEqual([{ type: "remove", id: "g" }, { type: "remove", id: "o" }]);
    expect(session.waiting).toEqual([]);
    // The admitted one stays until the server's peer-left says it is done.
    expect(session.roster).toEqual([host, guest]);
  });

  it("refuses remove for a guest, for the host themself, for an unknown id, and outside the call", async () => {
    const { session } = await joined({ code: "abc" });
    session.receive(welcome(guest, [host, guest]));
    expect(() => session.remove("h")).toThrow(expect.objectContaining({ code: "invalid_state" }));

    const hosting = (await joined()).session;
    expect(() => hosting.remove("g")).toThrow(expect.objectContaining({ code: "invalid_state" }));
    hosting.receive(welcome(host, [host, guest]));
    expect(() => hosting.remove("h")).toThrow(expect.objectContaining({ code: "invalid_request" }));
    expect(() => hosting.remove("nobody")).toThrow(expect.objectContaining({ code: "not_found" }));
    signaling.open = false;
    expect(() => hosting.remove("g")).toThrow(expect.objectContaining({ code: "network" }));
    expect(signaling.sent).toEqual([]);
  });

  it("invites one more person in a group, and only there, only as host", async () => {
    const { session } = await joined();
    await expect(session.invite("Ola")).rejects.toMatchObject({ code: "invalid_state" });
    session.receive(welcome(host, [host]));
    await expect(session.invite("Ola")).resolves.toMatchObject({ code: "c0de" });
    expect(signaling.inviteByRequest).toHaveBeenCalledWith("Ola");

    const pair = (await joined()).session;
    pair.receive({ ...welcome(host, [host]), policy: { ...policy, mode: "pair", maxParticipants: 2 } } as ServerMessage);
    await expect(pair.invite()).rejects.toMatchObject({ code: "invalid_state" });

    const guestSession = (await joined({ code: "abc" })).session;
    guestSession.receive(welcome(guest, [host, guest]));
    await expect(guestSession.invite()).rejects.toMatchObject({ code: "invalid_state" });
  });
});

describe("the call session's reducer", () => {
  it("puts a guest in the lobby with the host's name, and lets them in on welcome", async () => {
    const { session } = await joined({ code: "abc" });
    session.receive({ type: "lobby", you: guest, hostName: "Dr Berg" });
    expect(session.state).toBe("lobby");
    expect(session.hostName).toBe("Dr Berg");
    expect(session.admitted).toBe(false);

    session.receive(welcome(guest, [host, guest]));
    expect(session.state).toBe("connected");
    expect(session.roster).toEqual([host, guest]);
    // The policy as the element exposes it: `relayOnly` is `false` when the server left it out.
    expect(peers.restart).toHaveBeenCalledWith(guest, [host, guest], [], { ...policy, relayOnly: false });
    expect(storage.store.get("samtale:joined:c1")).toBe("1");
    expect(calls).toEqual(['state "joining"', 'state "lobby"', 'state "connected"', "participants", "welcomed true"]);
  });

  it("starts media afresh on every welcome, but announces only the first", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    calls.length = 0;
    session.receive(welcome(host, [host, guest]));
    expect(peers.restart).toHaveBeenCalledTimes(2);
    expect(calls).toEqual(["participants", "welcomed false"]);
  });

  it("cues a knock once: a waiting person's knock repeated after a welcome is no news", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    session.receive({ type: "knock", participant: guest });
    session.receive({ type: "knock", participant: guest });
    session.receive(welcome(host, [host]));
    expect(session.waiting).toEqual([]);
    session.receive({ type: "knock", participant: guest });
    session.receive({ type: "knock", participant: other });
    expect(session.waiting).toEqual([guest, other]);
    expect(calls.filter((c) => c.startsWith("knock"))).toEqual(["knock g", "knock o"]);
    session.receive({ type: "lobby-left", id: "o" });
    expect(session.waiting).toEqual([guest]);
  });

  it("keeps the roster and tells the mesh who came and went", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    session.receive({ type: "knock", participant: guest });
    session.receive({ type: "peer-joined", participant: guest });
    expect(session.roster).toEqual([host, guest]);
    expect(session.waiting).toEqual([]);
    expect(peers.add).toHaveBeenCalledWith(guest);
    session.receive({ type: "peer-left", id: "g" });
    expect(session.roster).toEqual([host]);
    expect(peers.remove).toHaveBeenCalledWith("g");
    expect(calls.slice(-4)).toEqual(["participants", "joined g", "participants", "left g"]);
  });

  it("keeps someone whose line dropped in the call, connection and all, shown as away until they are back", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host, guest]));
    session.receive({ type: "peer-away", id: "g" });
    session.receive({ type: "peer-away", id: "stranger" });
    expect(session.roster).toEqual([host, guest]);
    expect([...session.away]).toEqual(["g"]);
    expect(peers.remove).not.toHaveBeenCalled();
    expect(calls).not.toContain("left g");
    session.receive({ type: "peer-back", id: "g" });
    expect([...session.away]).toEqual([]);
    expect(peers.remove).not.toHaveBeenCalled();
    expect(peers.add).not.toHaveBeenCalled();
    // Gone for good after the grace: peer-left still closes.
    session.receive({ type: "peer-away", id: "g" });
    session.receive({ type: "peer-left", id: "g" });
    expect(peers.remove).toHaveBeenCalledWith("g");
    expect([...session.away]).toEqual([]);
  });

  it("hands the mesh signals from admitted people only", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host, guest]));
    session.receive({ type: "signal", from: "g", data: { hello: true } });
    session.receive({ type: "signal", from: "stranger", data: { hello: true } });
    expect(peers.receive.mock.calls).toEqual([["g", { hello: true }]]);
  });

  it("reports a refused message without leaving the call", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    session.receive({ type: "error", code: "rate_limited", message: "slow down" });
    expect(session.state).toBe("connected");
    expect(calls.at(-1)).toBe("error rate_limited");
  });

  it("ends on `ended`: everything released, the tab's memory of the consultation forgotten", async () => {
    const { session } = await joined({ code: "abc" });
    storage.setItem("samtale:resume:c1", "r");
    session.receive(welcome(guest, [host, guest]));
    session.receive({ type: "ended", reason: "host-ended" });
    expect(session.state).toBe("ended");
    expect(signaling.closed).toBe(true);
    expect(peers.close).toHaveBeenCalled();
    expect(storage.store.size).toBe(0);
    expect(calls.slice(-3)).toEqual(["released", 'state "ended"', 'ended "host-ended"']);
    // Final: nothing brings it back.
    session.receive(welcome(guest, [host, guest]));
    expect(session.state).toBe("ended");
  });

  it("treats a socket closed as denied as final, and forgets the resume: a final state keeps no bearer secret", async () => {
    const { session } = await joined({ code: "abc" });
    storage.setItem("samtale:resume:c1", "r");
    signaling.options.onClosed("denied");
    expect(session.state).toBe("denied");
    expect(storage.store.has("samtale:resume:c1")).toBe(false);

    // A reload of that tab shows the refusal again without asking the service.
    const reloaded = newSession({ code: "abc" });
    expect(reloaded.session.resumesAfterReload).toBe(true);
    await reloaded.session.join(async () => {});
    expect(reloaded.session.state).toBe("denied");
  });

  it("passes the privacy relay on from the welcome's policy", async () => {
    const { session } = await joined({ code: "abc" });
    session.receive({ ...welcome(guest, [host, guest]), policy: { ...policy, relayOnly: true } } as unknown as ServerMessage);
    expect(session.policy?.relayOnly).toBe(true);
    expect(peers.restart).toHaveBeenLastCalledWith(guest, [host, guest], [], { ...policy, relayOnly: true });
  });

  it("forgets the resume when another window takes over, and on an error", async () => {
    const replaced = await joined({ code: "abc" });
    storage.setItem("samtale:resume:c1", "r");
    signaling.options.onClosed("replaced");
    expect(replaced.session.state).toBe("error");
    expect(storage.store.has("samtale:resume:c1")).toBe(false);

    const failed = await joined({ code: "abc" });
    storage.setItem("samtale:resume:c1", "r");
    failed.session.fail(new CallError("network", "gone"));
    expect(failed.session.state).toBe("error");
    expect(storage.store.has("samtale:resume:c1")).toBe(false);
  });

  it("ends a removed person in removed, by message or by close code, and forgets the tab's memory", async () => {
    for (const how of ["message", "close"] as const) {
      const { session } = await joined({ code: "abc" });
      storage.setItem("samtale:resume:c1", "r");
      session.receive(welcome(guest, [host, guest]));
      if (how === "message") session.receive({ type: "removed" });
      else signaling.options.onClosed("removed");
      expect(session.state).toBe("removed");
      expect(storage.store.size).toBe(0);
      expect(signaling.closed).toBe(true);
      expect(calls).toContain("released");
      // Final: a late welcome brings nothing back.
      session.receive(welcome(guest, [host, guest]));
      expect(session.state).toBe("removed");
    }
  });

  it("is the one owner of the resume: the signaling client reads and updates it through the session", async () => {
    await joined({ code: "abc" });
    signaling.options.resume.remember("r1");
    expect(storage.store.get("samtale:resume:c1")).toBe("r1");
    expect(signaling.options.resume.recall()).toBe("r1");
    signaling.options.resume.forget();
    expect(storage.store.has("samtale:resume:c1")).toBe(false);
  });

  it("forgets a guest's resume when they leave on purpose", async () => {
    const { session } = await joined({ code: "abc" });
    storage.setItem("samtale:resume:c1", "r");
    session.receive({ type: "lobby", you: guest, hostName: "" });
    session.leave();
    expect(session.state).toBe("ended");
    expect(storage.store.size).toBe(0);
    expect(calls).not.toContain('ended "host-ended"');
  });

  it("ends when the element leaves the page", async () => {
    const { session, fakeHost } = await joined();
    session.receive(welcome(host, [host]));
    fakeHost.disconnect();
    expect(session.state).toBe("ended");
    expect(signaling.closed).toBe(true);
  });
});

describe("the call session's methods", () => {
  it("refuses to join without a credential", async () => {
    const { session } = newSession({});
    await expect(session.join(async () => {})).rejects.toMatchObject({ code: "invalid_request" });
    expect(session.state).toBe("error");
  });

  it("lets only the host admit, only someone waiting, and only over an open socket", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    expect(() => session.decide("admit", "g")).toThrow(expect.objectContaining({ code: "not_found" }));
    session.receive({ type: "knock", participant: guest });
    signaling.open = false;
    expect(() => session.decide("admit", "g")).toThrow(expect.objectContaining({ code: "network" }));
    expect(session.waiting).toEqual([guest]);
    signaling.open = true;
    session.decide("admit", "g");
    expect(signaling.sent).toEqual([{ type: "admit", id: "g" }]);
    expect(session.waiting).toEqual([]);
  });

  it("refuses end() to a guest", async () => {
    const { session } = await joined({ code: "abc" });
    session.receive(welcome(guest, [host, guest]));
    await expect(session.end()).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("ends by request when the socket is gone, and rejects with `network` when that fails too", async () => {
    const { session } = await joined();
    session.receive(welcome(host, [host]));
    signaling.open = false;
    signaling.endByRequest.mockRejectedValueOnce(new CallError("network", "The service could not be reached."));
    await expect(session.end()).rejects.toMatchObject({ name: "CallError", code: "network" });
    expect(session.state).toBe("connected");
    await session.end();
    expect(session.state).toBe("ended");
    expect(calls.at(-1)).toBe('ended "host-ended"');
  });
});

describe("a token that expires during the call", () => {
  it("is reported while the session keeps reconnecting, and the next attempt takes the token the page holds then", async () => {
    const credential = { token: "jwt" };
    const { session } = await joined(credential);
    session.receive(welcome(host, [host, guest]));
    signaling.options.onReconnecting();
    signaling.options.onTokenRefused(new CallError("unauthorized", "This token has expired."));
    expect(calls.slice(-2)).toEqual(['state "reconnecting"', "error unauthorized"]);
    expect(session.state).toBe("reconnecting");

    credential.token = "fresh-jwt";
    session.tokenChanged();
    expect(signaling.retryNow).toHaveBeenCalledOnce();
    expect(signaling.options.credential()).toEqual({ token: "fresh-jwt" });
  });

  it("falls back on the token of the join when the page clears it", async () => {
    const credential: { token?: string } = { token: "jwt" };
    await joined(credential);
    delete credential.token;
    expect(signaling.options.credential()).toEqual({ token: "jwt" });
  });
});

describe("the signaling client without a network", () => {
  it("rejects ending by request with `network`, never fetch's TypeError", async () => {
    vi.stubGlobal("location", { origin: "https://page.example" });
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    const client = new SignalingClient({
      apiBase: "https://samtale.example",
      consultation: "c1",
      credential: () => ({ token: "jwt" }),
      resume: { recall: () => null, remember: () => {}, forget: () => {} },
      onMessage: () => {},
      onReconnecting: () => {},
      onClosed: () => {},
      onFailed: () => {},
      onTokenRefused: () => {},
    });
    const failure = await client.endByRequest().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CallError);
    expect(failure).toMatchObject({ code: "network" });
    await expect(client.connect()).rejects.toMatchObject({ code: "network" });
  });
});
