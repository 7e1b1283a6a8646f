/**
 * What each side tells the others about its own microphone and camera, so a
 * tile can say "muted" or "camera off": a disabled track still arrives as
 * silence and black frames, and nothing in WebRTC says why. It travels as
 * `signal` data through the service (`{"media": {"microphone", "camera"}}`),
 * which relays signals unchanged: no data channel is needed, so it works
 * with chat switched off, and a peer reached before its media is up still
 * hears it.
 */

export interface MediaState {
  microphone: boolean;
  camera: boolean;
}

export function mediaStateSignal(state: MediaState): { media: MediaState } {
  return { media: { microphone: state.microphone, camera: state.camera } };
}

/** A peer's media state from relayed `signal.data`, or `null` when it is no such message. */
export function parseMediaState(data: unknown): MediaState | null {
  if (typeof data !== "object" || data === null) return null;
  const media = (data as Record<string, unknown>).media;
  if (typeof media !== "object" || media === null) return null;
  const { microphone, camera } = media as Record<string, unknown>;
  if (typeof microphone !== "boolean" || typeof camera !== "boolean") return null;
  return { microphone, camera };
}
