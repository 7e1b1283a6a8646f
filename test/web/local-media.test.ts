import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalMedia } from "../../web/media-devices.ts";

/** A stream with one video track (no audio, so no level meter is made). */
function fakeStream() {
  const track = { kind: "video", enabled: true, stop: vi.fn(), getSettings: () => ({ deviceId: "cam" }) };
  return { track, stream: { getTracks: () => [track], getVideoTracks: () => [track], getAudioTracks: () => [] } };
}

function withCamera(answer: () => Promise<unknown>) {
  const getUserMedia = vi.fn(answer);
  vi.stubGlobal("navigator", { mediaDevices: { getUserMedia, enumerateDevices: async () => [] } });
  return getUserMedia;
}

const host = { addController: () => undefined, requestUpdate: () => undefined } as never;

afterEach(() => vi.unstubAllGlobals());

describe("local media capture", () => {
  it("asks the browser once when started twice before the first answer", async () => {
    const { stream } = fakeStream();
    const getUserMedia = withCamera(async () => stream);
    const media = new LocalMedia(host);
    await Promise.all([media.start(), media.start()]);
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    expect(media.stream).toBe(stream);
  });

  it("stops tracks that arrive after stop()", async () => {
    const { stream, track } = fakeStream();
    let answer!: (s: unknown) => void;
    withCamera(() => new Promise((resolve) => (answer = resolve)));
    const media = new LocalMedia(host);
    const started = media.start();
    media.stop();
    answer(stream);
    await started;
    expect(track.stop).toHaveBeenCalled();
    expect(media.stream).toBeNull();
  });

  it("captures afresh after stop()", async () => {
    const getUserMedia = withCamera(async () => fakeStream().stream);
    const media = new LocalMedia(host);
    await media.start();
    media.stop();
    await media.start();
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    expect(media.stream).not.toBeNull();
  });
});
