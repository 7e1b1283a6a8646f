/**
 * The look every Samtale view shares. Colours are custom properties, set
 * with defaults on `<samtale-call>` (samtale-call/styles.ts) and inherited by the
 * views inside it; the defaults meet WCAG AA contrast.
 */
import { css } from "lit";

export const controlStyles = css`
  :host {
    font-family: var(--samtale-font);
    color: var(--samtale-text);
  }
  button,
  select,
  input,
  textarea {
    font: inherit;
    font-size: 1rem;
    min-height: 44px;
    border-radius: calc(var(--samtale-radius) / 1.5);
  }
  button {
    cursor: pointer;
    padding: 0.5rem 1rem;
    border: 1px solid var(--samtale-border);
    background: var(--samtale-surface);
    color: var(--samtale-text);
  }
  button.primary {
    background: var(--samtale-accent);
    border-color: var(--samtale-accent);
    color: var(--samtale-accent-contrast);
  }
  button.danger {
    background: var(--samtale-danger);
    border-color: var(--samtale-danger);
    color: var(--samtale-accent-contrast);
  }
  button[aria-pressed="true"] {
    background: var(--samtale-text);
    border-color: var(--samtale-text);
    color: var(--samtale-surface);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  select,
  input,
  textarea {
    border: 1px solid var(--samtale-border);
    background: var(--samtale-surface);
    color: var(--samtale-text);
    padding: 0.4rem 0.6rem;
    max-width: 100%;
  }
  :focus-visible {
    outline: 3px solid var(--samtale-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .muted {
    color: var(--samtale-muted);
  }
  h2,
  h3 {
    margin: 0 0 0.5rem;
    line-height: 1.3;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1rem;
  }
`;
