/**
 * A name as the screen shows it. Someone whose token and invite gave no name
 * gets the service's default (`Practitioner`, `Guest`: the contract's words,
 * in English); those two are translated here, every other name is shown as given.
 */
import { msg } from "@lit/localize";
import type { Participant } from "../worker/protocol.ts";
import { withoutBidiControls } from "./plain-text.ts";

/** The service's default names, as the wire contract spells them. */
const DEFAULT_HOST_NAME = "Practitioner";
const DEFAULT_GUEST_NAME = "Guest";

export function displayName(participant: Pick<Participant, "name" | "role">): string {
  if (participant.role === "host" && participant.name === DEFAULT_HOST_NAME) return msg("Practitioner", { id: "name.default-host" });
  if (participant.role === "guest" && participant.name === DEFAULT_GUEST_NAME) return msg("Guest", { id: "name.default-guest" });
  return withoutBidiControls(participant.name);
}

/** The lobby's one name, the host's: the default translated, and a missing one replaced by "your host". */
export function hostDisplayName(hostName: string): string {
  if (!hostName) return msg("your host", { id: "lobby.host-fallback" });
  return displayName({ name: hostName, role: "host" });
}
