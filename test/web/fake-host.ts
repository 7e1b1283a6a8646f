/**
 * A stand-in for the element that holds a reactive controller: the
 * controllers only add themselves and ask for a render, so this is all a
 * unit test needs of a host.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updatesRequested = 0;
  readonly updateComplete = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }

  requestUpdate(): void {
    this.updatesRequested++;
  }

  /** The element left the page. */
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

/** sessionStorage as a plain map, so tab memory can be read back. */
export function memoryStorage(): Storage & { store: Map<string, string> } {
  const store = new Map<string, string>();
  return {
    store,
    get length() {
      return store.size;
    },
    clear: () => store.clear(),
    key: (i: number) => [...store.keys()][i] ?? null,
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
}
