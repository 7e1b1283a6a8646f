/**
 * The call's stage: a tile per remote person whose media is up, and your own
 * tile, in the grid or floating in a corner you choose. Plain render
 * functions: the element holds the state and passes it in.
 */
import { msg, str } from "@lit/localize";
import { html, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { repeat } from "lit/directives/repeat.js";
import { displayName } from "../display-name.ts";
import type { LocalMedia } from "../media-devices.ts";
import type { RemotePeer } from "../remote-peer.ts";
import { stageLayout, type SelfCorner } from "../stage-layout.ts";
import { icons } from "./icons.ts";

export interface StageOptions {
  media: LocalMedia;
  /** People whose line to the service is reconnecting. */
  away: ReadonlySet<string>;
  /** Someone else is admitted, so an empty stage means "connecting", not "alone". */
  othersAdmitted: boolean;
  selfCorner: SelfCorner;
  onMoveSelf: () => void;
}

export function stageView(peers: readonly RemotePeer[], options: StageOptions): TemplateResult {
  // One tile per remote whose media is up: no black boxes for a peer still
  // connecting or gone. An interrupted one keeps its tile (and its last
  // frame) with a notice, so nobody reads the break as the others leaving.
  const remotes = peers.filter((peer) => peer.mediaUp || peer.mediaInterrupted);
  const layout = stageLayout(remotes.length);
  return html`<div class="stage ${layout.selfFloats ? "floating" : ""} columns-${layout.columns} narrow-columns-${layout.narrowColumns}">
    ${remotes.length === 0
      ? html`<p class="alone">${options.othersAdmitted ? msg("Connecting to the others…", { id: "call.connecting-media" }) : msg("Waiting for the others to join…", { id: "call.alone" })}</p>`
      : nothing}
    ${repeat(remotes, (peer) => peer.id, (peer) => remoteTile(peer, options.away.has(peer.id)))}
    ${selfTile(options, layout.selfFloats)}
  </div>`;
}

/** Your camera; `live`: a re-render must not reload it (see `remoteTile`). */
export function localVideo(media: LocalMedia, className: string): TemplateResult | typeof nothing {
  if (!media.cameraLive) return nothing;
  return html`<video part="local-video" class=${className} .srcObject=${live(media.stream)} autoplay playsinline .muted=${true} aria-label=${msg("Your camera", { id: "video.local" })}></video>`;
}

/**
 * A remote person's tile: their name, whether they are muted or their camera
 * is off, a ring while they speak, a notice while their media is interrupted
 * or their line is reconnecting, and a full-screen button. Keyed by person in
 * a `repeat`, so the same `<video>` lives as long as they do. Lit commits an
 * object-valued property on every render, and setting `srcObject`, even to
 * the same stream, reloads the video: `live` sets it only when the stream
 * itself changes, so re-renders never restart playback.
 */
function remoteTile(peer: RemotePeer, reconnecting: boolean): TemplateResult {
  const name = displayName(peer.participant);
  const muted = peer.media?.microphone === false;
  const cameraOff = peer.media?.camera === false;
  const notice = peer.mediaInterrupted
    ? msg("Sound and video interrupted. Restoring the connection…", { id: "connection.interrupted" })
    : reconnecting
      ? msg("Reconnecting…", { id: "participants.reconnecting" })
      : null;
  return html`<figure class="tile ${peer.speaking ? "speaking" : ""}">
    <video part="remote-video" class="remote" .srcObject=${live(peer.stream)} autoplay playsinline aria-label=${name}></video>
    ${cameraOff ? html`<div class="no-picture" aria-hidden="true">${name.slice(0, 1)}</div>` : nothing}
    ${notice ? html`<p class="tile-notice">${notice}</p>` : nothing}
    <figcaption>
      <span class="name">${name}</span>
      ${muted ? html`<span class="badge">${icons.micOff}${msg("Muted", { id: "tile.muted" })}</span>` : nothing}
      ${cameraOff ? html`<span class="badge">${icons.cameraOff}${msg("Camera off", { id: "controls.camera-off" })}</span>` : nothing}
    </figcaption>
    <button type="button" class="on-video fullscreen" aria-label=${msg(str`Show ${name} on the full screen`, { id: "tile.fullscreen" })} @click=${toggleFullscreen}>
      ${icons.fullscreen}
    </button>
  </figure>`;
}

function selfTile({ media, selfCorner, onMoveSelf }: StageOptions, floats: boolean): TemplateResult {
  return html`<figure class="tile self-tile ${floats ? `floats ${selfCorner}` : ""}">
    ${localVideo(media, "self")}
    ${media.cameraLive ? nothing : html`<div class="no-picture" aria-hidden="true"></div>`}
    <figcaption>
      <span class="name">${msg("You", { id: "tile.you" })}</span>
      ${media.microphoneLive ? nothing : html`<span class="badge">${icons.micOff}<span class="visually-hidden">${msg("Muted", { id: "tile.muted" })}</span></span>`}
    </figcaption>
    ${floats
      ? html`<button type="button" class="on-video move" aria-label=${msg("Move your picture to another corner", { id: "tile.move" })} @click=${onMoveSelf}>
          ${icons.move}
        </button>`
      : nothing}
  </figure>`;
}

/** A tile fills the screen, or leaves it again (the button is inside the tile). */
function toggleFullscreen(event: Event): void {
  const tile = (event.currentTarget as HTMLElement).closest("figure");
  if (document.fullscreenElement) void document.exitFullscreen();
  else void tile?.requestFullscreen?.().catch(() => undefined);
}
