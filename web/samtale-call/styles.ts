import { css } from "lit";

/** Defaults for the public custom properties, and the call's layout. */
export const callStyles = css`
  :host {
    /* The public custom properties a page may set, with their defaults, which meet WCAG AA. */
    --samtale-accent: #1d5c84; /* primary buttons and highlights */
    --samtale-accent-contrast: #ffffff; /* text on accent and danger buttons */
    --samtale-background: #f4f6f8; /* the element's background */
    --samtale-surface: #ffffff; /* cards and buttons */
    --samtale-text: #1b2733; /* body text */
    --samtale-muted: #4a5866; /* secondary text */
    --samtale-border: #7a8794; /* borders, also of inputs and buttons: at least 3:1 against surface and background */
    --samtale-danger: #a8261d; /* the end button and problem notes */
    --samtale-ok: #1e7b45; /* a good connection, the microphone level */
    --samtale-warning: #a15c00; /* an unstable connection, reconnecting */
    --samtale-attention: #eaf3fa; /* the background of notices and the knock list */
    --samtale-focus: #0b57d0; /* the keyboard focus ring */
    --samtale-radius: 12px; /* corner radius */
    --samtale-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    display: block;
    /* The layout follows the element's own width, not the window's: embedded
       in a narrow sidebar it stacks like on a phone. It takes the width it is
       given (a block, or a flex item that grows). */
    container-type: inline-size;
    box-sizing: border-box;
    background: var(--samtale-background);
    /* A percentage of the width it is given: a full frame on a desktop, a thin
       one on a phone, where every pixel of width is the others' picture. */
    padding: clamp(0.25rem, 2%, 1rem);
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
  .stage {
    grid-area: stage;
    position: relative;
    display: grid;
    gap: 0.5rem;
    grid-template-columns: minmax(0, 1fr);
    align-content: center;
    background: #111a22;
    border-radius: var(--samtale-radius);
    padding: 0.5rem;
    min-height: 14rem;
  }
  /* Classes, not an inline style: a page's CSP may well forbid style attributes. */
  .columns-2 {
    grid-template-columns: repeat(2, minmax(0, 1fr));
  }
  .columns-3 {
    grid-template-columns: repeat(3, minmax(0, 1fr));
  }
  .stage .alone {
    color: #ffffff;
    display: grid;
    place-items: center;
    text-align: center;
    padding: 1rem;
    margin: 0;
  }
  .tile {
    position: relative;
    margin: 0;
    min-width: 0;
    min-height: 0;
    aspect-ratio: 16 / 9;
    border-radius: calc(var(--samtale-radius) / 1.5);
    overflow: hidden;
    background: #000;
    outline: 3px solid transparent;
    outline-offset: -3px;
  }
  .tile.speaking {
    outline-color: #5fd08f;
  }
  video {
    display: block;
    width: 100%;
    border-radius: calc(var(--samtale-radius) / 1.5);
    background: #000;
  }
  /* The tile's size comes from the grid and its aspect ratio, never from the video's own size. */
  .tile video {
    position: absolute;
    inset: 0;
    height: 100%;
  }
  .remote {
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
    object-fit: cover;
    transform: scaleX(-1);
  }
  .no-picture {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: #26323d;
    color: #ffffff;
    font-size: 2.5rem;
    font-weight: 700;
    text-transform: uppercase;
  }
  figcaption {
    position: absolute;
    left: 0.4rem;
    bottom: 0.4rem;
    right: 3.4rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    font-size: 0.875rem;
  }
  figcaption > span {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    background: rgb(0 0 0 / 0.75);
    color: #ffffff;
    border-radius: 0.4rem;
    padding: 0.1rem 0.45rem;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .on-video {
    position: absolute;
    right: 0.4rem;
    bottom: 0.4rem;
    display: grid;
    place-items: center;
    min-width: 44px;
    padding: 0;
    background: rgb(0 0 0 / 0.75);
    color: #ffffff;
    border-color: #ffffff;
  }
  /* Alone with one other person your picture floats over theirs, in a corner
     (bottom right at first): their full-screen button moves to a top corner
     your picture is not in, so it is never hidden under it. */
  .stage.floating > .tile:not(.self-tile) .fullscreen {
    top: 0.4rem;
    bottom: auto;
  }
  .stage.floating:has(.self-tile.top-right) > .tile:not(.self-tile) .fullscreen {
    right: auto;
    left: 0.4rem;
  }
  .tile:fullscreen {
    aspect-ratio: auto;
    border-radius: 0;
  }
  .tile:fullscreen video {
    border-radius: 0;
  }
  /* Alone with one other person: your picture floats small in the corner you chose. */
  .self-tile.floats {
    position: absolute;
    width: clamp(7rem, 24%, 12rem);
    aspect-ratio: 4 / 3;
    border: 2px solid #ffffff;
    z-index: 1;
  }
  .self-tile.floats figcaption {
    right: 2.9rem;
    bottom: 0.2rem;
    left: 0.2rem;
  }
  .self-tile.floats .on-video {
    right: 0.2rem;
    bottom: 0.2rem;
    min-height: 36px;
    min-width: 36px;
  }
  .bottom-right {
    right: 1rem;
    bottom: 1rem;
  }
  .bottom-left {
    left: 1rem;
    bottom: 1rem;
  }
  .top-left {
    left: 1rem;
    top: 1rem;
  }
  .top-right {
    right: 1rem;
    top: 1rem;
  }
  .icon {
    flex: none;
    vertical-align: middle;
  }
  .controls button {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
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
  /* Narrow (a phone, a sidebar): the controls follow the video, before the lists and the chat. */
  @container (max-width: 760px) {
    .call {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas: "banner" "stage" "controls" "panel";
    }
    /* The others first and large; your own picture always floats, small. */
    .stage {
      grid-template-columns: minmax(0, 1fr);
      padding: 0;
      gap: 0.25rem;
    }
    /* Alone with one other person on a phone held upright: their tile is as
       tall as it is wide, so an upright camera's picture is large too, and
       it pushes the controls down to where a thumb reaches them. */
    .stage.floating > .tile:not(.self-tile) {
      aspect-ratio: 1 / 1;
      max-height: 60svh;
    }
    .narrow-columns-2 {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    .stage:not(.floating) {
      padding-bottom: 5.5rem;
    }
    .self-tile {
      position: absolute;
      width: 6.5rem;
      aspect-ratio: 4 / 3;
      right: 0.5rem;
      bottom: 0.5rem;
      border: 2px solid #ffffff;
      z-index: 1;
    }
    /* Within thumb reach: the controls stay at the bottom of the screen while the lists scroll. */
    .controls {
      position: sticky;
      bottom: 0;
      z-index: 2;
      background: var(--samtale-background);
      padding: 0.5rem 0;
    }
  }
`;
