/**
 * The controls' icons, inline SVG in the bundle (nothing is loaded from
 * elsewhere). Decorative: every control says its state in words too, so the
 * icons are hidden from screen readers.
 */
import { svg, type SVGTemplateResult } from "lit";

const icon = (body: SVGTemplateResult) =>
  svg`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

const strike = svg`<path d="M3 3l18 18"/>`;
const mic = svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0014 0M12 18v3"/>`;
const camera = svg`<rect x="3" y="6" width="13" height="12" rx="2"/><path d="M16 10l5-3v10l-5-3z"/>`;

export const icons = {
  mic: icon(mic),
  micOff: icon(svg`${mic}${strike}`),
  camera: icon(camera),
  cameraOff: icon(svg`${camera}${strike}`),
  screen: icon(svg`<rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/>`),
  fullscreen: icon(svg`<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>`),
  move: icon(svg`<path d="M12 3v18M3 12h18M9 6l3-3 3 3M9 18l3 3 3-3M6 9l-3 3 3 3M18 9l3 3-3 3"/>`),
  addPerson: icon(svg`<circle cx="9" cy="8" r="4"/><path d="M2 21a7 7 0 0114 0M19 8v6M16 11h6"/>`),
};
