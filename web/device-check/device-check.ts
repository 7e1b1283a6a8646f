import { msg, updateWhenLocaleChanges } from "@lit/localize";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { property, query } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { defineOnce } from "../define.ts";
import type { LocalMedia, MediaProblem } from "../media-devices.ts";
import { playTestSound } from "../sounds.ts";
import { controlStyles } from "../theme.ts";

/**
 * @summary The check before a call: camera preview, microphone level,
 * device choice, a test sound, and plain help when something is wrong.
 *
 * @event join - The person pressed "Join" (internal to `<samtale-call>`).
 *
 * @csspart local-video - The camera preview `<video>`, while the camera is on.
 */
export class SamtaleDeviceCheck extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
      }
      /* The width of <samtale-call>, the query container, not the window's. */
      @container (max-width: 640px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .preview {
        aspect-ratio: 16 / 9;
        background: #1b2733;
        border-radius: var(--samtale-radius);
        overflow: hidden;
        display: grid;
        place-items: center;
        color: #fff;
      }
      video {
        width: 100%;
        height: 100%;
        object-fit: cover;
        transform: scaleX(-1);
      }
      label {
        display: block;
        font-weight: 600;
        margin: 0.75rem 0 0.25rem;
      }
      select {
        width: 100%;
      }
      .meter {
        height: 10px;
        border-radius: 5px;
        /* Light track, outlined: the level's colour stands out against it. */
        background: var(--samtale-attention);
        box-shadow: inset 0 0 0 1px var(--samtale-border);
        overflow: hidden;
        margin-top: 0.5rem;
      }
      .meter div {
        height: 100%;
        background: var(--samtale-ok);
        transform-origin: left;
        transform: scaleX(var(--level, 0));
      }
      .help {
        border-left: 4px solid var(--samtale-danger);
        background: var(--samtale-surface);
        padding: 0.75rem 1rem;
        margin-top: 1rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 1.25rem;
      }
    `,
  ];

  @property({ attribute: false }) media!: LocalMedia;
  @query(".meter div") private meterBar?: HTMLElement;
  private frame = 0;
  private readonly onMediaChange = () => this.requestUpdate();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.media?.addEventListener("change", this.onMediaChange);
    const tick = () => {
      // Straight to the style, not through render: 60 renders a second would be waste.
      this.meterBar?.style.setProperty("--level", String(this.media?.level() ?? 0));
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.media?.removeEventListener("change", this.onMediaChange);
    cancelAnimationFrame(this.frame);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("media")) {
      (changed.get("media") as LocalMedia | undefined)?.removeEventListener("change", this.onMediaChange);
      this.media?.addEventListener("change", this.onMediaChange);
    }
  }

  override render() {
    const media = this.media;
    const stream = media?.stream;
    const showVideo = media?.cameraLive ?? false;
    const canChooseSpeaker = "setSinkId" in HTMLMediaElement.prototype && (media?.speakers.length ?? 0) > 0;
    return html`
      <h2>${msg("Check your camera and microphone", { id: "check.title" })}</h2>
      <div class="layout">
        <div class="preview">
          ${showVideo
            ? html`<video part="local-video" .srcObject=${live(stream)} autoplay playsinline .muted=${true} aria-label=${msg("Your camera", { id: "video.local" })}></video>`
            : media?.starting
              ? html`<p role="status">${msg("Starting your camera…", { id: "check.starting" })}</p>`
              : html`<p>${msg("Camera is off", { id: "check.camera-off" })}</p>`}
        </div>
        <div>
          ${this.deviceSelect("camera", msg("Camera", { id: "check.camera" }), media?.cameras ?? [], media?.cameraId ?? "", (id) => media.chooseCamera(id))}
          ${this.deviceSelect("microphone", msg("Microphone", { id: "check.microphone" }), media?.microphones ?? [], media?.microphoneId ?? "", (id) => media.chooseMicrophone(id))}
          <div class="meter" role="img" aria-label=${msg("Microphone level: speak and watch the bar move", { id: "check.level" })}><div></div></div>
          ${canChooseSpeaker
            ? this.deviceSelect("speaker", msg("Speaker", { id: "check.speaker" }), media.speakers, media.speakerId, (id) => media.chooseSpeaker(id))
            : nothing}
          <div class="actions">
            <button type="button" @click=${() => void playTestSound(media?.speakerId ?? "")}>${msg("Play test sound", { id: "check.test-sound" })}</button>
          </div>
        </div>
      </div>
      ${media?.problem ? html`<div class="help" role="alert">${problemHelp(media.problem)}</div>` : nothing}
      <div class="actions">
        <button type="button" class="primary" @click=${() => this.dispatchEvent(new Event("join"))}>${msg("Join the consultation", { id: "check.join" })}</button>
      </div>
    `;
  }

  private deviceSelect(key: string, label: string, devices: MediaDeviceInfo[], selected: string, choose: (id: string) => unknown) {
    if (devices.length === 0) return nothing;
    return html`
      <label for=${key}>${label}</label>
      <select id=${key} @change=${(event: Event) => void choose((event.target as HTMLSelectElement).value)}>
        ${devices.map(
          (device, index) => html`<option value=${device.deviceId} ?selected=${device.deviceId === selected}>${device.label || `${label} ${index + 1}`}</option>`,
        )}
      </select>
    `;
  }
}

function problemHelp(problem: MediaProblem) {
  switch (problem) {
    case "denied":
      return msg(
        "The browser was not allowed to use your camera or microphone. Click the camera symbol or padlock in the address bar, choose Allow, then reload the page.",
        { id: "help.denied" },
      );
    case "not-found":
      return msg("No camera or microphone was found. Check that one is connected and switched on. You can still join and others can see and hear what you have.", {
        id: "help.not-found",
      });
    case "in-use":
      return msg("Your camera or microphone is being used by another program. Close that program (for example another video call) and reload the page.", {
        id: "help.in-use",
      });
    case "unsupported":
      return msg("This browser cannot make video calls. Please use a recent version of Chrome, Edge, Firefox or Safari.", { id: "help.unsupported" });
    case "other":
      return msg("Something went wrong with your camera or microphone. Reload the page and try again.", { id: "help.other" });
  }
}

defineOnce("samtale-device-check", SamtaleDeviceCheck);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-device-check": SamtaleDeviceCheck;
  }
}
