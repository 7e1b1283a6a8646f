import { msg, str, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing } from "lit";
import { property, state } from "lit/decorators.js";
import { defineOnce } from "../define.ts";
import { displayName } from "../display-name.ts";
import type { CallParticipant } from "../roster.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary Everyone in the call, always visible: name, role, and how each
 * proved who they are. In group mode each remote person's own verification
 * code stands next to their name, with a warning when it changed. The host may remove anyone else, in two
 * steps so a slip of the finger takes nobody out: "Remove" asks, and only
 * the confirming button fires `remove` with the person's id.
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
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-top: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) participants: CallParticipant[] = [];
  @property({ attribute: false }) you = "";
  /** The host sees a Remove action on everyone else. */
  @property({ type: Boolean, attribute: false }) canRemove = false;
  /** Whose removal waits for confirmation. */
  @state() private confirming: string | null = null;

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
            ${this.canRemove && person.id !== this.you ? this.#renderRemove(person) : nothing}
          </li>`,
        )}
      </ul>
    `;
  }

  #renderRemove(person: CallParticipant) {
    const name = displayName(person);
    if (this.confirming !== person.id) {
      return html`<div class="actions">
        <button type="button" aria-label=${msg(str`Remove ${name}`, { id: "remove.label" })} @click=${() => this.#ask(person.id)}>
          ${msg("Remove", { id: "remove.action" })}
        </button>
      </div>`;
    }
    return html`<div class="actions" role="group" aria-labelledby="remove-question">
      <span id="remove-question">${msg(str`Remove ${name}?`, { id: "remove.question" })}</span>
      <button type="button" class="danger confirm" @click=${() => this.#confirm(person.id)}>${msg("Yes, remove", { id: "remove.confirm" })}</button>
      <button type="button" class="cancel" @click=${() => this.#cancel()}>${msg("Cancel", { id: "remove.cancel" })}</button>
    </div>`;
  }

  async #ask(id: string): Promise<void> {
    this.confirming = id;
    await this.updateComplete;
    // Keyboard and screen reader users land on the question's answer.
    this.renderRoot.querySelector<HTMLButtonElement>("button.cancel")?.focus();
  }

  #confirm(id: string): void {
    this.confirming = null;
    this.dispatchEvent(new CustomEvent("remove", { detail: id }));
  }

  #cancel(): void {
    this.confirming = null;
  }
}

defineOnce("samtale-participant-list", SamtaleParticipantList);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-participant-list": SamtaleParticipantList;
  }
}
