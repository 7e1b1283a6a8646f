import { msg, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, type PropertyValues } from "lit";
import { property, query } from "lit/decorators.js";
import { MAX_CHAT_LENGTH, type ChatLine } from "../chat-message.ts";
import { defineOnce } from "../define.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary Text chat between the browsers, on the call's data channel.
 * Nothing is stored anywhere: the lines vanish with the call.
 *
 * @event send - `{detail: text}` the person sent a line (internal).
 */
export class SamtaleChatPanel extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 12rem;
      }
      ol {
        list-style: none;
        margin: 0 0 0.5rem;
        padding: 0;
        flex: 1;
        overflow-y: auto;
        max-height: 16rem;
      }
      li {
        margin: 0.25rem 0;
        overflow-wrap: anywhere;
      }
      .from {
        font-weight: 600;
      }
      form {
        display: flex;
        gap: 0.5rem;
      }
      input {
        flex: 1;
        min-width: 0;
      }
    `,
  ];

  @property({ attribute: false }) lines: ChatLine[] = [];
  @property({ attribute: false }) names: Map<string, string> = new Map();
  @property({ type: Boolean }) ready = false;
  @query("ol") private list?: HTMLOListElement;
  @query("input") private input?: HTMLInputElement;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("lines") && this.list) this.list.scrollTop = this.list.scrollHeight;
  }

  override render() {
    return html`
      <h3 id="chat-title">${msg("Chat", { id: "chat.title" })}</h3>
      <ol aria-labelledby="chat-title" tabindex="0">
        ${this.lines.map((line) => html`<li><span class="from">${this.names.get(line.from) ?? "?"}:</span> ${line.text}</li>`)}
      </ol>
      <form @submit=${this.submit}>
        <label class="visually-hidden" for="chat-input">${msg("Message", { id: "chat.input" })}</label>
        <input id="chat-input" autocomplete="off" maxlength=${MAX_CHAT_LENGTH} ?disabled=${!this.ready} placeholder=${this.ready ? "" : msg("Chat opens when someone joins", { id: "chat.waiting" })} />
        <button type="submit" ?disabled=${!this.ready}>${msg("Send", { id: "chat.send" })}</button>
      </form>
    `;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const text = this.input?.value.trim();
    if (!text) return;
    this.dispatchEvent(new CustomEvent("send", { detail: text }));
    this.input!.value = "";
  }
}

defineOnce("samtale-chat-panel", SamtaleChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-chat-panel": SamtaleChatPanel;
  }
}
