/**
 * What a partner's back end and a person's browser do in the end-to-end
 * tests: mint demo tokens, create consultations, and drive `<samtale-call>`
 * through its public face only (attributes, properties, methods, events,
 * shadow parts), as a partner page would.
 */
import type { Page } from "playwright-core";
import type { BrowserPage } from "./browser-page.ts";
import type { CreateConsultationRequest, CreateConsultationResponse, Participant } from "../../worker/protocol.ts";

export async function devToken(worker: string, sub: string, name: string, role: "practitioner" | "client" = "practitioner") {
  const response = await fetch(`${worker}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub, name, role }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export async function createConsultation(
  worker: string,
  hostToken: string,
  body: CreateConsultationRequest = { invitee: { name: "Ola Nordmann" } },
): Promise<CreateConsultationResponse> {
  const response = await fetch(`${worker}/api/v1/consultations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${hostToken}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreateConsultationResponse;
}

/**
 * Test instrumentation, not a mock: keeps a reference to every real
 * RTCPeerConnection the page makes, so tests can read its stats. With
 * `relayOnly`, each one may use TURN relay candidates only, as a browser
 * behind a strict NAT would have to.
 */
export async function watchPeerConnections(page: BrowserPage, options: { relayOnly?: boolean } = {}): Promise<void> {
  await page.addInitScript((relayOnly) => {
    const Original = window.RTCPeerConnection;
    const seen: RTCPeerConnection[] = [];
    (window as unknown as { samtalePeerConnections: RTCPeerConnection[] }).samtalePeerConnections = seen;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration: RTCConfiguration = {}) {
        super(relayOnly ? { ...configuration, iceTransportPolicy: "relay" } : configuration);
        seen.push(this);
      }
    } as typeof RTCPeerConnection;
  }, options.relayOnly ?? false);
}

/** Mounts the element on the page the way a partner's page script would. */
export async function mountCall(page: BrowserPage, attributes: Record<string, string | true>): Promise<void> {
  await page.waitForFunction(() => customElements.get("samtale-call") !== undefined);
  await page.evaluate((attributes: Record<string, string | true>) => {
    const call = document.createElement("samtale-call");
    for (const [name, value] of Object.entries(attributes)) call.setAttribute(name, value === true ? "" : value);
    (document.getElementById("mount") ?? document.body).append(call);
  }, attributes);
  await recordEvents(page);
}

/**
 * The element alone on a page of the worker's own origin (the guest page,
 * emptied), for a host who is not on the demo page.
 */
export async function openCall(page: BrowserPage, worker: string, attributes: Record<string, string | true>): Promise<void> {
  await page.goto(`${worker}/join`);
  await page.evaluate(() => document.body.replaceChildren(Object.assign(document.createElement("main"), { id: "mount" })));
  await mountCall(page, attributes);
}

/** Records every samtale-* event the page's element fires from now on, in order. */
export async function recordEvents(page: BrowserPage): Promise<void> {
  await page.waitForFunction(() => document.querySelector("samtale-call") !== null);
  await page.evaluate(() => {
    const call = document.querySelector("samtale-call")!;
    const events: { type: string; detail: unknown }[] = [];
    (window as unknown as { samtaleEvents: typeof events }).samtaleEvents = events;
    for (const type of ["state", "knock", "participants", "verification", "ended", "error"]) {
      call.addEventListener(`samtale-${type}`, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
    }
  });
}

export async function events(page: BrowserPage): Promise<{ type: string; detail: any }[]> {
  return page.evaluate(() => (window as unknown as { samtaleEvents?: { type: string; detail: unknown }[] }).samtaleEvents ?? []);
}

/** The states the element went through since `recordEvents`, in order. */
export async function states(page: BrowserPage): Promise<string[]> {
  return (await events(page)).filter((e) => e.type === "state").map((e) => e.detail.state as string);
}

export async function waitForState(page: BrowserPage, state: string, timeout = 30_000): Promise<void> {
  // Poll on a timer: animation frames are throttled in a page that is not in front.
  await page.waitForFunction((state) => (document.querySelector("samtale-call") as any)?.state === state, state, {
    timeout,
    polling: 100,
  });
}

export function callProperty<T>(page: BrowserPage, name: string): Promise<T> {
  return page.evaluate((name) => (document.querySelector("samtale-call") as any)?.[name], name) as Promise<T>;
}

/** Calls one of the element's methods; resolves with its outcome, never throws. */
export function callMethod(page: BrowserPage, name: string, ...args: unknown[]): Promise<{ ok: boolean; code?: string }> {
  return page.evaluate(
    async ({ name, args }) => {
      try {
        await (document.querySelector("samtale-call") as any)[name](...args);
        return { ok: true };
      } catch (error) {
        return { ok: false, code: (error as { code?: string }).code };
      }
    },
    { name, args },
  );
}

/** The host's knock list, once someone is in it. */
export async function waitForKnock(page: BrowserPage): Promise<Participant> {
  await page.waitForFunction(() => ((document.querySelector("samtale-call") as any)?.knocking ?? []).length > 0, null, {
    timeout: 30_000,
  });
  const knocking = await callProperty<Participant[]>(page, "knocking");
  return knocking[0]!;
}

/**
 * Remote video is really arriving: a `remote-video` part with frames, and
 * the peer connection's inbound video bytes growing over a second.
 */
export async function waitForRemoteVideo(page: BrowserPage, count = 1): Promise<void> {
  await page.waitForFunction(
    (count: number) => {
      const videos: HTMLVideoElement[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const video of root.querySelectorAll<HTMLVideoElement>('video[part~="remote-video"]')) videos.push(video);
        for (const element of root.querySelectorAll("*")) if (element.shadowRoot) visit(element.shadowRoot);
      };
      visit(document);
      return videos.length === count && videos.every((video) => video.videoWidth > 0 && !video.paused);
    },
    count,
    { timeout: 30_000, polling: 100 },
  );
  const before = await inboundVideo(page, "bytesReceived");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await inboundVideo(page, "bytesReceived");
  if (!(after > before)) throw new Error(`inbound video bytes did not grow (${before} → ${after})`);
}

/**
 * Every `remote-video` part presents `frames` new frames, as the page sees
 * them (`requestVideoFrameCallback`): the picture really moves, not just
 * the bytes under it. Only for a page in front: a browser presents few
 * frames, if any, in one it is not showing.
 */
export async function waitForRemoteFrames(page: BrowserPage, frames = 3, timeout = 15_000): Promise<void> {
  const outcome = await page.evaluate(
    ({ frames, timeout }: { frames: number; timeout: number }) =>
      new Promise<{ ok: boolean; presented: number[] }>((resolve) => {
        const videos: HTMLVideoElement[] = [];
        const visit = (root: Document | ShadowRoot) => {
          for (const video of root.querySelectorAll<HTMLVideoElement>('video[part~="remote-video"]')) videos.push(video);
          for (const element of root.querySelectorAll("*")) if (element.shadowRoot) visit(element.shadowRoot);
        };
        visit(document);
        const presented = videos.map(() => 0);
        const timer = setTimeout(() => resolve({ ok: false, presented }), timeout);
        videos.forEach((video, index) => {
          const count = () => {
            presented[index]!++;
            if (presented.every((n) => n >= frames)) {
              clearTimeout(timer);
              resolve({ ok: true, presented });
            } else {
              video.requestVideoFrameCallback(count);
            }
          };
          video.requestVideoFrameCallback(count);
        });
      }),
    { frames, timeout },
  );
  if (!outcome.ok) throw new Error(`remote videos did not move: new frames ${outcome.presented.join(", ")}, wanted ${frames} each`);
}

/** A counter of the inbound video streams (`bytesReceived`, `framesDecoded`), summed over all peers. */
export async function inboundVideo(page: BrowserPage, counter: "bytesReceived" | "framesDecoded"): Promise<number> {
  return page.evaluate(async (counter) => {
    let total = 0;
    for (const pc of (window as any).samtalePeerConnections as RTCPeerConnection[]) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((report) => {
        if (report.type === "inbound-rtp" && report.kind === "video") total += report[counter] ?? 0;
      });
    }
    return total;
  }, counter);
}

/**
 * What each peer connection's video sender carries: `monitor` (or `window`,
 * `browser`) while a screen is shared, `camera` otherwise, `none` if nothing.
 */
export async function outgoingVideo(page: BrowserPage): Promise<string[]> {
  return page.evaluate(() =>
    ((window as any).samtalePeerConnections as RTCPeerConnection[])
      .filter((pc) => pc.connectionState !== "closed")
      .flatMap((pc) => pc.getSenders().filter((sender) => sender.track?.kind === "video"))
      .map((sender) => (sender.track ? ((sender.track.getSettings() as { displaySurface?: string }).displaySurface ?? "camera") : "none")),
  );
}

/** The type of the local candidate the selected pair uses: host, srflx or relay. */
export async function selectedCandidateTypes(page: BrowserPage): Promise<string[]> {
  return page.evaluate(async () => {
    const types: string[] = [];
    for (const pc of (window as any).samtalePeerConnections as RTCPeerConnection[]) {
      if (pc.connectionState !== "connected") continue;
      const stats = await pc.getStats();
      stats.forEach((report) => {
        if (report.type === "candidate-pair" && report.nominated && report.state === "succeeded") {
          types.push(stats.get(report.localCandidateId)?.candidateType);
        }
      });
    }
    return types;
  });
}

/** A person on the device check presses the button to join, as they would. */
export async function passDeviceCheck(page: Page): Promise<void> {
  await waitForState(page, "checking");
  await page.getByRole("button", { name: /join the consultation/i }).click();
}

/**
 * Sends a chat line through the chat panel's own form, as pressing Send
 * does, once the panel is ready (a data channel is open).
 */
export async function sendChat(page: BrowserPage, text: string): Promise<void> {
  await page.waitForFunction(
    () => {
      const panel = document.querySelector("samtale-call")?.shadowRoot?.querySelector('[part~="chat"]');
      return panel?.shadowRoot?.querySelector("input")?.disabled === false;
    },
    undefined,
    { timeout: 30_000, polling: 100 },
  );
  await page.evaluate((text: string) => {
    const panel = document.querySelector("samtale-call")!.shadowRoot!.querySelector('[part~="chat"]')!.shadowRoot!;
    panel.querySelector("input")!.value = text;
    panel.querySelector("form")!.requestSubmit();
  }, text);
}

/** The chat panel's lines as the person reads them ("Name: text"). */
export async function chatLines(page: BrowserPage): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector("samtale-call")?.shadowRoot?.querySelector('[part~="chat"]')?.shadowRoot;
    return [...(panel?.querySelectorAll("li") ?? [])].map((line) => line.textContent!.replace(/\s+/g, " ").trim());
  });
}
