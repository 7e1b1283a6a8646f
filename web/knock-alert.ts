/**
 * How the host hears a knock: a sound, a system notification when the page
 * may already show one (it names nobody), and the same again every 15 s while
 * the tab stays hidden and someone still waits (`KnockReminder`). A Lit
 * reactive controller: it watches the tab's visibility while the element is
 * on the page.
 */
import { msg } from "@lit/localize";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { KnockReminder, notifyIfAllowed } from "./knock-reminder.ts";
import { playKnockCue } from "./sounds.ts";

export class KnockAlert implements ReactiveController {
  readonly #reminder: KnockReminder;

  constructor(host: ReactiveControllerHost, anyoneWaiting: () => boolean) {
    this.#reminder = new KnockReminder({
      hidden: () => document.visibilityState === "hidden",
      anyoneWaiting,
      remind: () => this.#cue(),
    });
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener("visibilitychange", this.#onVisibilityChange);
  }

  hostDisconnected(): void {
    document.removeEventListener("visibilitychange", this.#onVisibilityChange);
    this.#reminder.stop();
  }

  /** Someone knocked: cue now, and again while the tab is hidden. */
  knocked(): void {
    this.#cue();
    this.#reminder.knocked();
  }

  /** The call is over: no more reminders. */
  stop(): void {
    this.#reminder.stop();
  }

  /** The host is back: the lobby is on screen, no more reminders. */
  #onVisibilityChange = () => {
    if (document.visibilityState === "visible") this.#reminder.stop();
  };

  #cue(): void {
    playKnockCue();
    notifyIfAllowed(msg("Someone is waiting to join", { id: "notify.knock" }));
  }
}
