import { msg, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { Invite } from "../../worker/protocol.ts";
import { CallError } from "../call-error.ts";
import { defineOnce } from "../define.ts";
import { icons } from "../samtale-call/icons.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary The host's "Add a person" (group mode): a button that opens a
 * modal dialog, which creates an invite and shows its link with a copy
 * button, and its code for reading out on the phone. How the invite is made
 * is the element's business (`createInvite`).
 */
export class SamtaleInviteDialog extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: contents;
      }
      button {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
      dialog {
        border: 1px solid var(--samtale-border);
        border-radius: var(--samtale-radius);
        background: var(--samtale-surface);
        color: var(--samtale-text);
        width: min(32rem, calc(100vw - 2rem));
        box-sizing: border-box;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.5);
      }
      form,
      .result {
        display: grid;
        gap: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .link {
        flex: 1 1 14rem;
      }
      .code {
        font-size: 1.25rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      .problem {
        color: var(--samtale-danger);
      }
    `,
  ];

  @property({ attribute: false }) createInvite: (name: string) => Promise<Invite> = () => Promise.reject(new CallError("invalid_state", "Not ready."));
  @state() private invite: Invite | null = null;
  @state() private busy = false;
  @state() private problem = "";
  @state() private copied = false;
  @query("dialog") private dialog!: HTMLDialogElement;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<button type="button" class="open" @click=${this.#open}>${icons.addPerson}${msg("Add a person", { id: "invite.open" })}</button>
      <dialog aria-labelledby="invite-title" @close=${this.#reset}>
        <h2 id="invite-title">${msg("Add a person", { id: "invite.open" })}</h2>
        ${this.invite ? this.#renderInvite(this.invite) : this.#renderForm()}
        ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
        <div class="row">
          <button type="button" class="close" @click=${() => this.dialog.close()}>${msg("Close", { id: "invite.close" })}</button>
        </div>
      </dialog>`;
  }

  #renderForm() {
    return html`<form @submit=${this.#submit}>
      <p class="muted">${msg("Make a one-time invitation for one more person. They wait in the lobby until you let them in.", { id: "invite.help" })}</p>
      <label>${msg("Their name (optional)", { id: "invite.name" })}<input name="name" autocomplete="off" maxlength="100" /></label>
      <div class="row"><button type="submit" class="primary" ?disabled=${this.busy}>${msg("Create invitation", { id: "invite.create" })}</button></div>
    </form>`;
  }

  #renderInvite(invite: Invite) {
    return html`<div class="result">
      <label>${msg("Invitation link", { id: "invite.link" })}
        <div class="row">
          <input class="link" readonly .value=${invite.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          <button type="button" class="primary copy" @click=${() => void this.#copy(invite.url)}>${msg("Copy link", { id: "invite.copy" })}</button>
        </div>
      </label>
      <span role="status">${this.copied ? msg("Link copied.", { id: "invite.copied" }) : nothing}</span>
      ${invite.code
        ? html`<div>
            <p class="muted">${msg("On the phone? Read out this code; it goes with the link.", { id: "invite.code-help" })}</p>
            <p class="code">${invite.code}</p>
          </div>`
        : nothing}
    </div>`;
  }

  #open = () => {
    this.dialog.showModal();
  };

  #reset = () => {
    this.invite = null;
    this.problem = "";
    this.copied = false;
  };

  #submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = new FormData(event.target as HTMLFormElement).get("name")?.toString() ?? "";
    this.busy = true;
    this.problem = "";
    try {
      this.invite = await this.createInvite(name);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>("button.copy")?.focus();
    } catch (error) {
      this.problem =
        error instanceof CallError && error.code === "full"
          ? msg("The consultation is full: nobody more can be invited.", { id: "invite.full" })
          : msg("The invitation could not be made. Try again.", { id: "invite.failed" });
    } finally {
      this.busy = false;
    }
  };

  async #copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.copied = true;
    } catch {
      // No clipboard (permission, insecure context): the link stays selected for copying by hand.
      this.renderRoot.querySelector<HTMLInputElement>("input.link")?.select();
    }
  }
}

defineOnce("samtale-invite-dialog", SamtaleInviteDialog);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-invite-dialog": SamtaleInviteDialog;
  }
}
