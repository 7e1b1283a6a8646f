/**
 * The person's camera, microphone and speaker: capture, choice of device,
 * on/off, a level for the microphone meter, and plain reasons when it fails.
 * A reactive controller, so the element re-renders when any of it changes,
 * and an EventTarget ("change") for nested views that show it too.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { audio } from "./sounds.ts";

/** Why capture failed, in the categories the help text explains. */
export type MediaProblem = "denied" | "not-found" | "in-use" | "unsupported" | "other";

export function mediaProblemOf(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "not-found";
  if (name === "NotReadableError" || name === "AbortError") return "in-use";
  if (name === "TypeError") return "unsupported";
  return "other";
}

export class LocalMedia extends EventTarget implements ReactiveController {
  stream: MediaStream | null = null;
  problem: MediaProblem | null = null;
  cameras: MediaDeviceInfo[] = [];
  microphones: MediaDeviceInfo[] = [];
  speakers: MediaDeviceInfo[] = [];
  cameraId = "";
  microphoneId = "";
  speakerId = "";
  microphoneOn = true;
  cameraOn = true;
  /** Between asking for the devices and the browser's answer. */
  starting = false;

  /** The capture under way or done, shared by every caller until stop(). */
  private capture: Promise<void> | null = null;
  /** Bumped by stop(), so a capture that finishes afterwards knows it is unwanted. */
  private generation = 0;
  private meterSource: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private readonly samples = new Uint8Array(256);
  private readonly onDeviceChange = () => void this.listDevices();

  constructor(private readonly host: ReactiveControllerHost) {
    super();
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener("devicechange", this.onDeviceChange);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener("devicechange", this.onDeviceChange);
    this.stop();
  }

  get videoTrack(): MediaStreamTrack | null {
    return this.stream?.getVideoTracks()[0] ?? null;
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.stream?.getAudioTracks()[0] ?? null;
  }

  /** A camera is there and switched on: the others see you. */
  get cameraLive(): boolean {
    return this.cameraOn && this.videoTrack !== null;
  }

  /** A microphone is there and switched on: the others hear you. */
  get microphoneLive(): boolean {
    return this.microphoneOn && this.audioTrack !== null;
  }

  /**
   * Capture camera and microphone; falls back to whichever one works. Calls
   * while a capture is under way share it: two captures would leave one
   * stream running that nobody stops.
   */
  start(): Promise<void> {
    this.capture ??= this.captureDevices();
    return this.capture;
  }

  private async captureDevices(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.setProblem("unsupported");
      return;
    }
    const attempts: MediaStreamConstraints[] = [
      { audio: this.audioConstraints(), video: this.videoConstraints() },
      { audio: this.audioConstraints() },
      { video: this.videoConstraints() },
    ];
    let firstError: unknown;
    const generation = this.generation;
    this.starting = true;
    this.changed();
    for (const constraints of attempts) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        if (generation !== this.generation) {
          // Stopped while the browser was asking: the camera must not stay on.
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        this.stream = stream;
        // Say what is missing (no camera, say) while going on with what works.
        this.problem = firstError === undefined ? null : mediaProblemOf(firstError);
        break;
      } catch (error) {
        firstError ??= error;
        // A refusal covers both devices; asking again one by one only annoys.
        if (mediaProblemOf(error) === "denied") break;
      }
    }
    if (!this.stream) this.problem = mediaProblemOf(firstError);
    this.starting = false;
    this.applyEnabled();
    this.meterMicrophone();
    await this.listDevices();
  }

  async chooseCamera(deviceId: string): Promise<void> {
    this.cameraId = deviceId;
    await this.recapture("video");
  }

  async chooseMicrophone(deviceId: string): Promise<void> {
    this.microphoneId = deviceId;
    await this.recapture("audio");
    this.meterMicrophone();
  }

  chooseSpeaker(deviceId: string): void {
    this.speakerId = deviceId;
    this.changed();
  }

  /** Route these videos' sound to the chosen speaker, where the browser can (`setSinkId`). */
  routeSound(videos: Iterable<HTMLVideoElement & { sinkId?: string; setSinkId?: (id: string) => Promise<void> }>): void {
    if (!this.speakerId) return;
    for (const video of videos) {
      if (video.setSinkId && video.sinkId !== this.speakerId) void video.setSinkId(this.speakerId).catch(() => undefined);
    }
  }

  setMicrophoneOn(on: boolean): void {
    this.microphoneOn = on;
    this.applyEnabled();
    this.changed();
  }

  setCameraOn(on: boolean): void {
    this.cameraOn = on;
    this.applyEnabled();
    this.changed();
  }

  /** The microphone's loudness now, 0–1, for the level meter. */
  level(): number {
    if (!this.analyser) return 0;
    this.analyser.getByteTimeDomainData(this.samples);
    let peak = 0;
    for (const sample of this.samples) peak = Math.max(peak, Math.abs(sample - 128));
    return Math.min(1, peak / 64);
  }

  stop(): void {
    this.generation++;
    this.capture = null;
    this.starting = false;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.meterSource?.disconnect();
    this.meterSource = null;
    this.analyser = null;
  }

  private audioConstraints(): MediaTrackConstraints {
    return { echoCancellation: true, noiseSuppression: true, ...(this.microphoneId ? { deviceId: { exact: this.microphoneId } } : {}) };
  }

  private videoConstraints(): MediaTrackConstraints {
    return { width: { ideal: 1280 }, height: { ideal: 720 }, ...(this.cameraId ? { deviceId: { exact: this.cameraId } } : {}) };
  }

  /**
   * Swap one kind of track for the chosen device, keeping the same stream
   * object. Devices are chosen in the device check, before any connection.
   */
  private async recapture(kind: "audio" | "video"): Promise<void> {
    try {
      const fresh = await navigator.mediaDevices.getUserMedia(
        kind === "audio" ? { audio: this.audioConstraints() } : { video: this.videoConstraints() },
      );
      const track = fresh.getTracks()[0]!;
      this.stream ??= new MediaStream();
      for (const old of kind === "audio" ? this.stream.getAudioTracks() : this.stream.getVideoTracks()) {
        old.stop();
        this.stream.removeTrack(old);
      }
      this.stream.addTrack(track);
      this.problem = null;
      this.applyEnabled();
    } catch (error) {
      this.problem = mediaProblemOf(error);
    }
    this.changed();
  }

  private applyEnabled(): void {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = this.microphoneOn;
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = this.cameraOn;
  }

  private meterMicrophone(): void {
    const track = this.audioTrack;
    if (!track) return;
    const context = audio();
    this.meterSource?.disconnect();
    this.meterSource = context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = this.samples.length;
    this.meterSource.connect(this.analyser);
  }

  private async listDevices(): Promise<void> {
    const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    // Without a grant, labels are empty; those entries help nobody choose.
    const usable = devices.filter((d) => d.deviceId);
    this.cameras = usable.filter((d) => d.kind === "videoinput");
    this.microphones = usable.filter((d) => d.kind === "audioinput");
    this.speakers = usable.filter((d) => d.kind === "audiooutput");
    this.cameraId ||= this.videoTrack?.getSettings().deviceId ?? "";
    this.microphoneId ||= this.audioTrack?.getSettings().deviceId ?? "";
    this.changed();
  }

  private setProblem(problem: MediaProblem): void {
    this.problem = problem;
    this.changed();
  }

  private changed(): void {
    this.host.requestUpdate();
    this.dispatchEvent(new Event("change"));
  }
}
