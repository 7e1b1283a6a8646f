import { msg, str, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing } from "lit";
import { property } from "lit/decorators.js";
import type { Participant } from "../../worker/protocol.ts";
import { defineOnce } from "../define.ts";
import { displayName } from "../display-name.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary For the host: the people waiting in the lobby, each with Admit
 * and Deny. Shown with a coloured, gently pulsing frame so a waiting person
 * is not missed (the pulse stops for people who prefer reduced motion).
 *
 * @event admit - `{detail: id}` the host admits this person (internal).
 * @event deny - `{detail: id}` the host turns this person away (internal).
 */
export class SamtaleKnockList extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      section {
        border: 2px solid var(--samtale-accent);
        border-radius: var(--samtale-radius);
        background: var(--samtale-attention);
        padding: 0.75rem 1rem;
        animation: pulse 2s ease-in-out 3;
      }
      @keyframes pulse {
        50% {
          box-shadow: 0 0 0 6px color-mix(in srgb, var(--samtale-accent) 25%, transparent);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        section {
          animation: none;
        }
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0.4rem 0;
      }
      .name {
        flex: 1 1 8rem;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) knocking: Participant[] = [];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    if (this.knocking.length === 0) return nothing;
    return html`
      <section aria-labelledby="title">
        <h3 id="title">${msg("Waiting to join", { id: "knock.title" })}</h3>
        <ul>
          ${this.knocking.map(
            (person) => html`<li>
              <span class="name">${displayName(person)}</span>
              <button type="button" class="primary" aria-label=${msg(str`Admit ${displayName(person)}`, { id: "knock.admit-label" })} @click=${() => this.decide("admit", person.id)}>
                ${msg("Admit", { id: "knock.admit" })}
              </button>
              <button type="button" aria-label=${msg(str`Deny ${displayName(person)}`, { id: "knock.deny-label" })} @click=${() => this.decide("deny", person.id)}>
                ${msg("Deny", { id: "knock.deny" })}
              </button>
            </li>`,
          )}
        </ul>
      </section>
    `;
  }

  private decide(decision: "admit" | "deny", id: string): void {
    this.dispatchEvent(new CustomEvent(decision, { detail: id }));
  }
}

defineOnce("samtale-knock-list", SamtaleKnockList);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-knock-list": SamtaleKnockList;
  }
}
