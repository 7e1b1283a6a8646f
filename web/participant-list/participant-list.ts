import { msg, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing } from "lit";
import { property } from "lit/decorators.js";
import { defineOnce } from "../define.ts";
import { displayName } from "../display-name.ts";
import type { CallParticipant } from "../roster.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary Everyone in the call, always visible: name, role, and how each
 * proved who they are. In group mode each remote person's own verification
 * code stands next to their name, with a warning when it changed.
 */
export class SamtaleParticipantList extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 0.5rem 0;
        border-bottom: 1px solid var(--samtale-border);
      }
      li:last-child {
        border-bottom: 0;
      }
      .name {
        font-weight: 600;
      }
      .details {
        font-size: 0.875rem;
      }
      .code-changed {
        color: var(--samtale-danger, #a8261d);
        font-weight: 600;
      }
      .code {
        font-variant-numeric: tabular-nums;
        letter-spacing: 0.05em;
      }
    `,
  ];

  @property({ attribute: false }) participants: CallParticipant[] = [];
  @property({ attribute: false }) you = "";

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`
      <h3>${msg("In the consultation", { id: "participants.title" })}</h3>
      <ul>
        ${this.participants.map(
          (person) => html`<li>
            <div class="name">${displayName(person)}${person.id === this.you ? html` <span class="muted">(${msg("you", { id: "participants.you" })})</span>` : nothing}</div>
            <div class="details muted">
              ${person.role === "host" ? msg("Host", { id: "role.host" }) : msg("Guest", { id: "role.guest" })} ·
              ${person.verified === "token" ? msg("verified by login", { id: "verified.token" }) : msg("verified by code", { id: "verified.code" })}
            </div>
            ${person.reconnecting ? html`<div class="details reconnecting">${msg("Reconnecting…", { id: "participants.reconnecting" })}</div>` : nothing}
            ${person.verificationCode
              ? html`<div class="details">${msg("Verification code", { id: "verification.label" })}: <span class="code">${person.verificationCode}</span></div>`
              : nothing}
            ${person.verificationChanged
              ? html`<div class="details code-changed" role="alert">
                  ${msg("This code has changed. Read it aloud to each other again before you go on.", { id: "participants.code-changed" })}
                </div>`
              : nothing}
          </li>`,
        )}
      </ul>
    `;
  }
}

defineOnce("samtale-participant-list", SamtaleParticipantList);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-participant-list": SamtaleParticipantList;
  }
}
