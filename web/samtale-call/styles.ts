import { css } from "lit";

/** Defaults for the public custom properties, and the call's layout. */
export const callStyles = css`
  :host {
    --samtale-accent: #1d5c84;
    --samtale-accent-contrast: #ffffff;
    --samtale-background: #f4f6f8;
    --samtale-surface: #ffffff;
    --samtale-text: #1b2733;
    --samtale-muted: #4a5866;
    --samtale-border: #7a8794;
    --samtale-danger: #a8261d;
    --samtale-ok: #1e7b45;
    --samtale-warning: #a15c00;
    --samtale-attention: #eaf3fa;
    --samtale-focus: #0b57d0;
    --samtale-radius: 12px;
    --samtale-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    display: block;
    /* The layout follows the element's own width, not the window's: embedded
       in a narrow sidebar it stacks like on a phone. It takes the width it is
       given (a block, or a flex item that grows). */
    container-type: inline-size;
    box-sizing: border-box;
    background: var(--samtale-background);
    padding: 1rem;
    border-radius: var(--samtale-radius);
    line-height: 1.5;
  }
  .status {
    max-width: 36rem;
    margin: 2rem auto;
    text-align: center;
  }
  .call {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem);
    grid-template-areas: "banner banner" "stage panel" "controls panel";
    align-items: start;
  }
  /* Narrow (a phone, a sidebar): the controls follow the video, before the lists and the chat. */
  @container (max-width: 760px) {
    .call {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas: "banner" "stage" "controls" "panel";
    }
  }
  .stage {
    grid-area: stage;
    position: relative;
    display: grid;
    gap: 0.5rem;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
    background: #111a22;
    border-radius: var(--samtale-radius);
    padding: 0.5rem;
    min-height: 14rem;
  }
  .stage .alone {
    color: #ffffff;
    display: grid;
    place-items: center;
    text-align: center;
    padding: 1rem;
  }
  video {
    width: 100%;
    border-radius: calc(var(--samtale-radius) / 1.5);
    background: #000;
  }
  .tile {
    position: relative;
  }
  .remote {
    aspect-ratio: 16 / 9;
    object-fit: contain;
  }
  .tile-notice {
    position: absolute;
    left: 0.5rem;
    right: 0.5rem;
    bottom: 0.5rem;
    margin: 0;
    padding: 0.25rem 0.5rem;
    border-radius: calc(var(--samtale-radius) / 2);
    background: rgba(0, 0, 0, 0.75);
    color: #ffffff;
  }
  .self {
    position: absolute;
    right: 1rem;
    bottom: 1rem;
    width: clamp(6rem, 22%, 12rem);
    aspect-ratio: 4 / 3;
    object-fit: cover;
    transform: scaleX(-1);
    border: 2px solid #ffffff;
  }
  .lobby-self {
    max-width: 16rem;
    transform: scaleX(-1);
  }
  .panel {
    grid-area: panel;
    display: flex;
    flex-direction: column;
    gap: 1rem;
  }
  .card {
    background: var(--samtale-surface);
    border: 1px solid var(--samtale-border);
    border-radius: var(--samtale-radius);
    padding: 0.75rem 1rem;
  }
  .code-changed {
    color: var(--samtale-danger, #a8261d);
    font-weight: 600;
  }
  .code {
    font-size: 1.5rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
  }
  .controls {
    grid-area: controls;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .controls .end {
    margin-left: auto;
  }
  .banner {
    grid-area: banner;
    background: var(--samtale-attention);
    border-left: 4px solid var(--samtale-warning);
    padding: 0.5rem 1rem;
  }
`;
