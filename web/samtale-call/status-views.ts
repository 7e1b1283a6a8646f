/**
 * The screens around the call (connecting, the guest's lobby, the three
 * ends: ended, not admitted, error) and the call's notices (reconnecting, the
 * pair's verification code). Plain render functions: they hold no state.
 */
import { msg, str } from "@lit/localize";
import { html, nothing, type TemplateResult } from "lit";
import type { CallErrorCode } from "../call-error.ts";

export function joiningView(): TemplateResult {
  return html`<div class="status" role="status"><h2>${msg("Connecting…", { id: "joining.title" })}</h2></div>`;
}

/** The guest's wait; `hostName` is the one person the lobby may name. */
export function lobbyView(hostName: string, localVideo: TemplateResult | typeof nothing, onLeave: () => void): TemplateResult {
  return html`<div class="status" part="lobby">
    <h2>${msg(str`Waiting for ${hostName} to let you in`, { id: "lobby.title" })}</h2>
    <p class="muted">${msg("Please keep this page open. You will join automatically when you are let in.", { id: "lobby.help" })}</p>
    ${localVideo}
    <p><button type="button" @click=${onLeave}>${msg("Leave", { id: "controls.leave" })}</button></p>
  </div>`;
}

export function reconnectingBanner(): TemplateResult {
  return html`<div class="banner" role="status">${msg("Connection lost. Reconnecting…", { id: "call.reconnecting" })}</div>`;
}

/** The pair's code, once the media connection is up; nothing before. A changed code comes with a warning. */
export function verificationCard(code: string | null, changed: boolean): TemplateResult | typeof nothing {
  if (!code) return nothing;
  return html`<div class="card">
    <h3>${msg("Verification code", { id: "verification.label" })}</h3>
    ${changed
      ? html`<p class="code-changed" role="alert">${msg("The verification code has changed. Read it aloud to each other again before you go on.", { id: "verification.changed" })}</p>`
      : nothing}
    <p class="code">${code}</p>
    <p class="muted">${msg("Read the code aloud to each other. If both of you see the same code, nobody else is in the connection.", { id: "verification.help" })}</p>
  </div>`;
}

export function endedView(): TemplateResult {
  return html`<div class="status" role="status">
    <h2>${msg("The consultation has ended", { id: "ended.title" })}</h2>
    <p class="muted">${msg("You can close this page.", { id: "ended.help" })}</p>
  </div>`;
}

export function deniedView(): TemplateResult {
  return html`<div class="status" role="status">
    <h2>${msg("You were not admitted", { id: "denied.title" })}</h2>
    <p class="muted">${msg("The host did not let you into this consultation. If you think this is a mistake, contact them another way.", { id: "denied.help" })}</p>
  </div>`;
}

export function removedView(): TemplateResult {
  return html`<div class="status" role="status">
    <h2>${msg("You were removed from the consultation", { id: "removed.title" })}</h2>
    <p class="muted">${msg("The host has taken you out of this consultation, so you cannot rejoin it. If you think this is a mistake, contact them another way.", { id: "removed.help" })}</p>
  </div>`;
}

export function errorView(code: CallErrorCode): TemplateResult {
  return html`<div class="status" role="alert">
    <h2>${msg("Something went wrong", { id: "error.title" })}</h2>
    <p>${errorExplanation(code)}</p>
    <p class="muted">${msg("If you contact support, give them this code:", { id: "error.support" })} <code>${code}</code></p>
  </div>`;
}

function errorExplanation(code: CallErrorCode): string {
  switch (code) {
    case "unauthorized":
      return msg("Your sign-in has expired or is not valid. Open the consultation again from where you got it.", { id: "error.unauthorized" });
    case "forbidden":
      return msg("You do not have access to this consultation. Check that you used the link you were sent.", { id: "error.forbidden" });
    case "age_restricted":
      return msg("This service is not available to you because of an age limit.", { id: "error.age" });
    case "not_found":
    case "gone":
      return msg("This consultation does not exist or has already ended.", { id: "error.not-found" });
    case "code_used":
      return msg("This invitation has already been used. Ask for a new invitation.", { id: "error.code-used" });
    case "full":
      return msg("This consultation is full.", { id: "error.full" });
    case "unavailable":
      return msg("The service cannot check your sign-in right now. Please try again in a few minutes.", { id: "error.unavailable" });
    case "network":
      return msg("The connection was lost and could not be restored. Check your internet connection and open the link again.", { id: "error.network" });
    case "replaced":
      return msg("You joined this consultation in another window or on another device, so this one stopped.", { id: "error.replaced" });
    case "unsupported":
      return msg("This browser cannot make video calls. Please use a recent version of Chrome, Edge, Firefox or Safari.", { id: "help.unsupported" });
    default:
      return msg("The consultation could not continue. Please try again later.", { id: "error.other" });
  }
}
