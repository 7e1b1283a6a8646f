import type { ClientMessage } from "./protocol.ts";

/**
 * Validates a text frame into a ClientMessage at the edge, so handlers see
 * only well-formed messages. Reads own properties only: a `__proto__` key
 * in the JSON is an ordinary (ignored) property, never a prototype.
 */
export function parseClientMessage(text: string): ClientMessage | { invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { invalid: "Messages must be JSON." };
  }
  if (!isPlainObject(value)) return { invalid: "A message must be a JSON object." };
  const type = own(value, "type");
  switch (type) {
    case "signal": {
      const to = own(value, "to");
      const data = own(value, "data");
      if (!isId(to)) return { invalid: "`signal` needs `to`, a participant id." };
      if (!isPlainObject(data)) return { invalid: "`signal` needs `data`, an object." };
      return { type, to, data };
    }
    case "admit":
    case "deny":
    case "remove": {
      const id = own(value, "id");
      if (!isId(id)) return { invalid: `\`${type}\` needs \`id\`, a participant id.` };
      return { type, id };
    }
    case "end":
      return { type };
    default:
      return { invalid: typeof type === "string" ? "Unknown message type." : "A message needs a `type`." };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 64;
}
