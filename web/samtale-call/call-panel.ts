/**
 * The panel beside the stage: the host's knock list, the pair's verification
 * code, the participant list and the chat. A plain render function over the
 * element's session and mesh; the element says what admitting, denying and
 * removing do.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { CallSession } from "../call-session.ts";
import "../chat-panel/chat-panel.ts";
import { displayName } from "../display-name.ts";
import "../knock-list/knock-list.ts";
import "../participant-list/participant-list.ts";
import type { PeerMesh } from "../peer-mesh.ts";
import type { CallParticipant } from "../roster.ts";
import { verificationCard } from "./status-views.ts";

type Session = Pick<CallSession, "isHost" | "waiting" | "roster" | "policy" | "you">;
type Mesh = Pick<PeerMesh, "pairCode" | "pairCodeChanged" | "chatLines" | "chatReady" | "sendChat">;

export interface CallPanelOptions {
  /** The admitted people as the element tells them to the page. */
  participants: CallParticipant[];
  admit: (id: string) => void;
  deny: (id: string) => void;
  remove: (id: string) => void;
}

export function callPanel(session: Session, mesh: Mesh, options: CallPanelOptions): TemplateResult {
  const { isHost } = session;
  const names = new Map(session.roster.map((p) => [p.id, displayName(p)]));
  return html`<div class="panel">
    ${isHost
      ? html`<samtale-knock-list
          .knocking=${session.waiting}
          @admit=${(e: CustomEvent<string>) => options.admit(e.detail)}
          @deny=${(e: CustomEvent<string>) => options.deny(e.detail)}
        ></samtale-knock-list>`
      : nothing}
    ${verificationCard(mesh.pairCode, mesh.pairCodeChanged)}
    <samtale-participant-list
      class="card"
      part="participants"
      .participants=${options.participants}
      .you=${session.you?.id ?? ""}
      .canRemove=${isHost}
      @remove=${(e: CustomEvent<string>) => options.remove(e.detail)}
    ></samtale-participant-list>
    ${session.policy?.chat
      ? html`<samtale-chat-panel class="card" part="chat" .lines=${mesh.chatLines} .names=${names} ?ready=${mesh.chatReady} @send=${(e: CustomEvent<string>) => mesh.sendChat(e.detail)}></samtale-chat-panel>`
      : nothing}
  </div>`;
}
