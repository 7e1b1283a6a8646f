import { describe, expect, it } from "vitest";
import { apiUrl, webSocketUrl } from "../../web/api-url.ts";
import { decodeChat, encodeChat, MAX_CHAT_LENGTH } from "../../web/chat-message.ts";
import { chooseLocale } from "../../web/locale-choice.ts";
import { withParticipant, withoutParticipant } from "../../web/roster.ts";
import { isWorthRetrying, reconnectDelayMs } from "../../web/reconnect-policy.ts";
import { closeOutcome, endReasonWithoutMessage, parseServerMessage } from "../../web/server-messages.ts";
import type { Participant } from "../../worker/protocol.ts";

const host: Participant = { id: "h", name: "Dr Berg", role: "host", verified: "token" };
const guest: Participant = { id: "g", name: "Kari", role: "guest", verified: "code" };

describe("server frames", () => {
  it("parses known messages and ignores pong and junk", () => {
    expect(parseServerMessage(JSON.stringify({ type: "peer-left", id: "g" }))).toEqual({ type: "peer-left", id: "g" });
    expect(parseServerMessage(JSON.stringify({ type: "removed" }))).toEqual({ type: "removed" });
    expect(parseServerMessage("pong")).toBeNull();
    expect(parseServerMessage("{not json")).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "surprise" }))).toBeNull();
    expect(parseServerMessage("42")).toBeNull();
  });

  it("maps the contract's close codes to what the element does", () => {
    expect(closeOutcome(4000)).toBe("ended");
    expect(closeOutcome(4003)).toBe("replaced");
    expect(closeOutcome(4008)).toBe("policy");
    expect(closeOutcome(4010)).toBe("denied");
    expect(closeOutcome(4011)).toBe("removed");
    expect(closeOutcome(1006)).toBe("reconnect");
    expect(closeOutcome(1001)).toBe("reconnect");
  });

  it("backs off between reconnection attempts, capped at ten seconds", () => {
    expect([0, 1, 2, 3, 4, 9].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("retries what may pass (the network, a busy service, an unreachable key set: 503 unavailable), not a refusal", () => {
    for (const code of ["network", "rate_limited", "internal", "unavailable"] as const) expect(isWorthRetrying(code), code).toBe(true);
    for (const code of ["unauthorized", "forbidden", "not_found", "gone", "code_used", "already_invited"] as const) {
      expect(isWorthRetrying(code), code).toBe(false);
    }
  });
});

describe("api-base", () => {
  it("works with or without a trailing slash, and defaults to the page's origin", () => {
    expect(apiUrl("https://samtale.example/", "/api/v1/x", "https://page.example")).toBe("https://samtale.example/api/v1/x");
    expect(apiUrl("https://samtale.example", "/api/v1/x", "https://page.example")).toBe("https://samtale.example/api/v1/x");
    expect(apiUrl(null, "/api/v1/x", "https://page.example")).toBe("https://page.example/api/v1/x");
    expect(webSocketUrl("https://s.example/ws")).toBe("wss://s.example/ws");
    expect(webSocketUrl("http://127.0.0.1:8787/ws")).toBe("ws://127.0.0.1:8787/ws");
  });
});

describe("the roster", () => {
  it("adds, replaces and removes participants without mutating", () => {
    const start = [host];
    const added = withParticipant(start, guest);
    expect(added).toEqual([host, guest]);
    expect(start).toEqual([host]);
    const renamed = withParticipant(added, { ...guest, name: "Kari N." });
    expect(renamed.map((p) => p.name)).toEqual(["Dr Berg", "Kari N."]);
    expect(withoutParticipant(renamed, "h")).toEqual([{ ...guest, name: "Kari N." }]);
  });
});

describe("chat frames", () => {
  it("round-trips text and refuses empty or oversized messages", () => {
    const frame = encodeChat("  Hei!  ");
    expect(frame).not.toBeNull();
    expect(decodeChat(frame)).toBe("Hei!");
    expect(encodeChat("   ")).toBeNull();
    expect(encodeChat("x".repeat(MAX_CHAT_LENGTH + 1))).toBeNull();
    expect(decodeChat(JSON.stringify({ text: 5 }))).toBeNull();
    expect(decodeChat(new ArrayBuffer(4))).toBeNull();
  });
});

describe("the language", () => {
  it("follows the lang attribute, then the browser, then English", () => {
    expect(chooseLocale("sv", ["nb-NO"])).toBe("sv");
    expect(chooseLocale(null, ["de-DE", "nb-NO"])).toBe("nb");
    expect(chooseLocale("", ["no"])).toBe("nb");
    expect(chooseLocale("nn", ["nb-NO"])).toBe("nn");
    expect(chooseLocale(null, ["nn-NO", "nb-NO"])).toBe("nn");
    expect(chooseLocale(null, ["da-DK"])).toBe("da");
    expect(chooseLocale("da", [])).toBe("da");
    expect(chooseLocale("fr", ["fr-FR"])).toBe("en");
    expect(chooseLocale("en-GB", ["sv-SE"])).toBe("en");
  });
});

describe("an end without an `ended` message", () => {
  it("is an expiry past the consultation's expiresAt, else the host's end", () => {
    const expiresAt = Date.parse("2026-11-23T12:00:00Z");
    expect(endReasonWithoutMessage(expiresAt, expiresAt)).toBe("expired");
    expect(endReasonWithoutMessage(expiresAt, expiresAt + 1)).toBe("expired");
    expect(endReasonWithoutMessage(expiresAt, expiresAt - 1)).toBe("host-ended");
    expect(endReasonWithoutMessage(null, expiresAt)).toBe("host-ended");
  });
});
