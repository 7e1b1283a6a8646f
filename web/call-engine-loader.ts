/**
 * The call engine (call-engine.ts) is a module of its own, so that the
 * element renders its device check and lobby without waiting for WebRTC.
 * This loader fetches it as soon as the element is on the page, makes the
 * peer mesh and the line to the service from it at join, and stands in for
 * the mesh towards the call session meanwhile. The session connects only
 * after `prepare()`, so no server message can arrive before the mesh exists.
 */
import type { ReactiveControllerHost } from "lit";
import type { IceServer, Participant, Policy, SignalData } from "../worker/protocol.ts";
import { CallError } from "./call-error.ts";
import type { PeerDirectory, Signaling } from "./call-session.ts";
import type { PeerMesh, PeerMeshOptions } from "./peer-mesh.ts";
import type { SignalingOptions } from "./signaling-client.ts";

type CallEngine = typeof import("./call-engine.ts");

export class CallEngineLoader implements PeerDirectory {
  /** Made at join, once the engine is in. */
  mesh: PeerMesh | undefined;
  #module: Promise<CallEngine> | undefined;
  #engine: CallEngine | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly meshOptions: PeerMeshOptions,
  ) {}

  /** Fetches the engine (once; again after a failure). */
  load(): Promise<CallEngine> {
    this.#module ??= import("./call-engine.ts").catch(() => {
      this.#module = undefined; // the next join tries again
      throw new CallError("network", "Part of the call could not be loaded from the service.");
    });
    return this.#module;
  }

  /** At join: the engine in, the mesh made and its keys for this consultation loaded. */
  async prepare(consultation: string): Promise<void> {
    const engine = (this.#engine = await this.load());
    this.mesh ??= new engine.PeerMesh(this.host, this.meshOptions);
    await this.mesh.prepare(consultation);
  }

  /** The line to the service; the session opens it only after `prepare()`. */
  connect(options: SignalingOptions): Signaling {
    if (!this.#engine) throw new CallError("invalid_state", "The call engine is not loaded yet.");
    return new this.#engine.SignalingClient(options);
  }

  restart(you: Participant, participants: Participant[], iceServers: IceServer[], policy: Policy): void {
    this.mesh?.restart(you, participants, iceServers, policy);
  }

  add(participant: Participant): void {
    this.mesh?.add(participant);
  }

  remove(id: string): void {
    this.mesh?.remove(id);
  }

  receive(from: string, data: SignalData): void {
    this.mesh?.receive(from, data);
  }

  close(): void {
    this.mesh?.close();
  }
}
