/**
 * The bar under the stage: microphone, camera, screen share, the host's
 * invite (group mode), the connection's quality, and end or leave. A plain
 * render function over the element's media and mesh; the element says what
 * inviting, ending and leaving do.
 */
import { msg } from "@lit/localize";
import { html, nothing, type TemplateResult } from "lit";
import type { Invite } from "../../worker/protocol.ts";
import "../connection-indicator/connection-indicator.ts";
import "../invite-dialog/invite-dialog.ts";
import type { LocalMedia } from "../media-devices.ts";
import type { PeerMesh } from "../peer-mesh.ts";
import { icons } from "./icons.ts";

type Mesh = Pick<PeerMesh, "sharingScreen" | "quality" | "mediaInterrupted" | "toggleScreenShare" | "mediaStateChanged">;

export interface ControlsOptions {
  isHost: boolean;
  /** The host of a group may invite one more person from the call. */
  canInvite: boolean;
  invite: (name: string) => Promise<Invite>;
  end: () => void;
  leave: () => void;
}

export function controlsBar(media: LocalMedia, mesh: Mesh, options: ControlsOptions): TemplateResult {
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === "function";
  const { microphoneOn, cameraOn } = media;
  /** Switch the microphone or camera, and tell the others so their tile of us says it. */
  const switchMedia = (change: () => void) => () => {
    change();
    mesh.mediaStateChanged();
  };
  return html`<div class="controls" part="controls" role="toolbar" aria-label=${msg("Call controls", { id: "controls.label" })}>
    <button type="button" ?disabled=${!media.audioTrack} @click=${switchMedia(() => media.setMicrophoneOn(!microphoneOn))}>
      ${microphoneOn ? html`${icons.mic}${msg("Mute", { id: "controls.mute" })}` : html`${icons.micOff}${msg("Unmute", { id: "controls.unmute" })}`}
    </button>
    <button type="button" ?disabled=${!media.videoTrack} @click=${switchMedia(() => media.setCameraOn(!cameraOn))}>
      ${cameraOn ? html`${icons.camera}${msg("Camera off", { id: "controls.camera-off" })}` : html`${icons.cameraOff}${msg("Camera on", { id: "controls.camera-on" })}`}
    </button>
    ${canShare
      ? html`<button type="button" aria-pressed=${String(mesh.sharingScreen)} @click=${() => void mesh.toggleScreenShare()}>
          ${icons.screen}${msg("Share screen", { id: "controls.share" })}
        </button>`
      : nothing}
    ${options.canInvite ? html`<samtale-invite-dialog .createInvite=${options.invite}></samtale-invite-dialog>` : nothing}
    <samtale-connection-indicator .quality=${mesh.quality} ?interrupted=${mesh.mediaInterrupted}></samtale-connection-indicator>
    ${options.isHost
      ? html`<button type="button" class="danger end" @click=${options.end}>${msg("End consultation", { id: "controls.end" })}</button>`
      : html`<button type="button" class="danger end" @click=${options.leave}>${msg("Leave", { id: "controls.leave" })}</button>`}
  </div>`;
}
