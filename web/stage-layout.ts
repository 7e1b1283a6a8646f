/**
 * How the stage lays out its video tiles, as a pure choice. Alone with one
 * other person, their picture fills the stage and yours floats small in a
 * corner you choose. In a group your picture is a tile of its own, so it never
 * covers anyone; the grid has as few columns as keep the tiles large. On a
 * narrow screen (a phone) the others come first, one or two to a row, and
 * your picture floats small in a corner.
 */

export interface StageLayout {
  /** Your own picture floats over the stage instead of taking a tile (wide screens). */
  selfFloats: boolean;
  /** Columns on a wide screen. */
  columns: number;
  /** Columns on a narrow screen, where your own picture always floats. */
  narrowColumns: number;
}

export function stageLayout(remoteCount: number): StageLayout {
  const selfFloats = remoteCount < 2;
  const tiles = Math.max(1, remoteCount + (selfFloats ? 0 : 1));
  return {
    selfFloats,
    columns: tiles === 1 ? 1 : tiles <= 4 ? 2 : 3,
    narrowColumns: remoteCount >= 3 ? 2 : 1,
  };
}

/** The corners your floating picture can sit in; a button moves it to the next. */
export const selfCorners = ["bottom-right", "bottom-left", "top-left", "top-right"] as const;
export type SelfCorner = (typeof selfCorners)[number];

export function nextCorner(corner: SelfCorner): SelfCorner {
  return selfCorners[(selfCorners.indexOf(corner) + 1) % selfCorners.length]!;
}
