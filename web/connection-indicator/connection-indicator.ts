import { msg, str, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing } from "lit";
import { property } from "lit/decorators.js";
import type { ConnectionQuality } from "../connection-quality.ts";
import { defineOnce } from "../define.ts";
import { controlStyles } from "../theme.ts";

/** Above these, people notice: talk-over at ~300 ms round trip, choppy sound at a few percent loss. */
const SLOW_RTT_MS = 300;
const HIGH_LOSS_PERCENT = 3;

/**
 * @summary How the media travels: straight between the browsers or through
 * a relay, with round-trip time and packet loss, and a plain verdict.
 */
export class SamtaleConnectionIndicator extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.875rem;
      }
      .dot {
        width: 0.75rem;
        height: 0.75rem;
        border-radius: 50%;
        background: var(--samtale-ok);
      }
      .dot.poor {
        background: var(--samtale-warning);
      }
    `,
  ];

  @property({ attribute: false }) quality: ConnectionQuality | null = null;
  /** Media stopped arriving on a connection that was up; the figures of before would be a lie. */
  @property({ type: Boolean }) interrupted = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    if (this.interrupted) {
      return html`<span class="dot poor" aria-hidden="true"></span><span>${msg("Sound and video interrupted. Restoring the connection…", { id: "connection.interrupted" })}</span>`;
    }
    const quality = this.quality;
    if (!quality || quality.path === "unknown") return nothing;
    const poor = (quality.rttMs ?? 0) > SLOW_RTT_MS || (quality.lossPercent ?? 0) > HIGH_LOSS_PERCENT;
    const path = quality.path === "direct" ? msg("Direct connection", { id: "connection.direct" }) : msg("Relayed connection", { id: "connection.relayed" });
    const verdict = poor ? msg("unstable", { id: "connection.poor" }) : msg("good", { id: "connection.good" });
    const figures = [quality.rttMs !== null ? `${quality.rttMs} ms` : "", quality.lossPercent !== null ? msg(str`${quality.lossPercent} % loss`, { id: "connection.loss" }) : ""]
      .filter(Boolean)
      .join(", ");
    return html`<span class="dot ${poor ? "poor" : ""}" aria-hidden="true"></span><span>${path} (${verdict})</span><span class="muted">${figures}</span>`;
  }
}

defineOnce("samtale-connection-indicator", SamtaleConnectionIndicator);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-connection-indicator": SamtaleConnectionIndicator;
  }
}
