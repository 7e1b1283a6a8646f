import { describe, expect, it } from "vitest";
import { decodeChat, encodeChat, MAX_CHAT_HISTORY, MAX_CHAT_LENGTH, withChatLine, type ChatLine } from "../../web/chat-message.ts";
import { CHAT_BURST, ChatRateLimit } from "../../web/chat-rate-limit.ts";
import { displayName } from "../../web/display-name.ts";
import { withoutBidiControls } from "../../web/plain-text.ts";

describe("chat limits", () => {
  it("refuses a message from a peer longer than 2,000 characters, and sends none", () => {
    expect(decodeChat(JSON.stringify({ text: "x".repeat(MAX_CHAT_LENGTH) }))).toHaveLength(MAX_CHAT_LENGTH);
    expect(decodeChat(JSON.stringify({ text: "x".repeat(MAX_CHAT_LENGTH + 1) }))).toBeNull();
    expect(encodeChat("x".repeat(MAX_CHAT_LENGTH + 1))).toBeNull();
  });

  it("drops a peer's messages beyond a burst, and lets them through again as time passes", () => {
    const limit = new ChatRateLimit();
    const start = 1_000_000;
    const taken = Array.from({ length: CHAT_BURST + 5 }, () => limit.take(start)).filter(Boolean);
    expect(taken).toHaveLength(CHAT_BURST);
    expect(limit.take(start + 10)).toBe(false);
    expect(limit.take(start + 1000)).toBe(true);
  });

  it("keeps only the last lines in memory", () => {
    let lines: ChatLine[] = [];
    for (let i = 0; i < MAX_CHAT_HISTORY + 50; i++) lines = withChatLine(lines, { from: "a", text: String(i), at: i });
    expect(lines).toHaveLength(MAX_CHAT_HISTORY);
    expect(lines[0]!.text).toBe("50");
    expect(lines.at(-1)!.text).toBe(String(MAX_CHAT_HISTORY + 49));
  });
});

describe("bidirectional control characters", () => {
  const spoof = "invoice\u202Efdp.exe\u2066x\u2069\u202A\u202B\u202C\u202D\u2067\u2068";
  it("are removed from chat text both ways", () => {
    expect(withoutBidiControls(spoof)).toBe("invoicefdp.exex");
    expect(decodeChat(JSON.stringify({ text: spoof }))).toBe("invoicefdp.exex");
    expect(encodeChat(spoof)).toBe(JSON.stringify({ text: "invoicefdp.exex" }));
  });

  it("are removed from names shown, and a message of nothing else is no message", () => {
    expect(displayName({ name: "Dr\u202E Berg", role: "host" })).toBe("Dr Berg");
    expect(decodeChat(JSON.stringify({ text: "\u202E\u2066" }))).toBeNull();
  });

  it("leave ordinary right-to-left text alone", () => {
    expect(withoutBidiControls("שלום مرحبا")).toBe("שלום مرحبا");
  });
});
