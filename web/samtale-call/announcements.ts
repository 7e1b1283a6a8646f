/**
 * What the element tells screen readers through its live region, in the
 * active language: one sentence per moment of the call worth hearing about.
 */
import { msg, str } from "@lit/localize";
import type { Participant } from "../../worker/protocol.ts";
import { displayName } from "../display-name.ts";

export const announcement = {
  inCall: () => msg("You are in the consultation.", { id: "announce.in-call" }),
  knock: (who: Participant) => msg(str`${displayName(who)} is waiting to join.`, { id: "announce.knock" }),
  joined: (who: Participant) => msg(str`${displayName(who)} joined.`, { id: "announce.joined" }),
  left: (who: Participant) => msg(str`${displayName(who)} left.`, { id: "announce.left" }),
  chat: (from: Participant, text: string) => msg(str`Message from ${displayName(from)}: ${text}`, { id: "announce.chat" }),
  sharing: () => msg("You are sharing your screen.", { id: "announce.sharing" }),
  codeChanged: () => msg("The verification code has changed. Read it aloud to each other again.", { id: "announce.code-changed" }),
  peerCodeChanged: (who: Participant) =>
    msg(str`The verification code with ${displayName(who)} has changed. Read it aloud to each other again.`, { id: "announce.peer-code-changed" }),
  mediaInterrupted: (interrupted: boolean) =>
    interrupted
      ? msg("Sound and video interrupted. Restoring the connection…", { id: "connection.interrupted" })
      : msg("Sound and video are back.", { id: "announce.media-back" }),
};
