/**
 * What a call needs once someone joins, and not before: the line to the
 * service and the WebRTC peer mesh. The element loads this module on its own
 * (a file beside it, like the translations), starting as soon as it is on
 * the page, so the device check and the lobby render without waiting for it
 * and it is there by the time someone presses Join.
 */
export { PeerMesh } from "./peer-mesh.ts";
export { SignalingClient } from "./signaling-client.ts";
