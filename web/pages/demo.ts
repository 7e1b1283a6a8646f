/**
 * The practitioner's demo page: sign in with the development issuer, create
 * a consultation, hand out the invite link, and host the call.
 */
import type { CreateConsultationResponse, InviteResponse, Mode } from "../../worker/protocol.ts";
import { showAudit } from "./audit-view.ts";

const form = document.querySelector<HTMLFormElement>("#create")!;
const createError = document.querySelector<HTMLElement>("#create-error")!;
const inviteSection = document.querySelector<HTMLElement>("#invite")!;
const inviteUrl = document.querySelector<HTMLInputElement>("#invite-url")!;
const copyStatus = document.querySelector<HTMLElement>("#copy-status")!;
const another = document.querySelector<HTMLButtonElement>("#another")!;

/** The host's current consultation, so a reload rejoins it instead of starting over. */
const SESSION_KEY = "samtale-demo:hosting";
interface Hosting {
  token: string;
  id: string;
  inviteUrl: string;
  mode: Mode;
}

async function postJson<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!response.ok) throw new Error(answer.message ?? `The service answered ${response.status}.`);
  return answer;
}

function host(hosting: Hosting): void {
  form.hidden = true;
  inviteSection.hidden = false;
  inviteUrl.value = hosting.inviteUrl;
  another.hidden = hosting.mode !== "group";
  const call = document.createElement("samtale-call");
  call.setAttribute("consultation", hosting.id);
  call.setAttribute("token", hosting.token);
  call.addEventListener("samtale-state", (event) => {
    const { state } = (event as CustomEvent<{ state: string }>).detail;
    if (state === "ended" || state === "error") {
      sessionStorage.removeItem(SESSION_KEY);
      inviteSection.hidden = true;
      // An ended consultation is gone for good: offer a fresh one.
      form.hidden = false;
    }
    if (state === "ended") void showAudit(hosting.id, document.querySelector<HTMLElement>("#audit")!);
  });
  // The tab's title says how many wait, so a host in another tab sees it too.
  call.addEventListener("samtale-lobby", (event) => {
    const waiting = event.detail.knocking.length;
    document.title = waiting > 0 ? `(${waiting}) ${pageTitle}` : pageTitle;
  });
  document.querySelector("#call")!.replaceChildren(call);
}

const pageTitle = document.title;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  createError.hidden = true;
  const data = new FormData(form);
  const name = String(data.get("name") || "Practitioner");
  const guest = String(data.get("guest") || "");
  const mode = data.get("mode") === "group" ? "group" : "pair";
  try {
    const { token } = await postJson<{ token: string }>("/dev/token", { sub: `demo-${crypto.randomUUID()}`, name, role: "practitioner" });
    const created = await postJson<CreateConsultationResponse>(
      "/api/v1/consultations",
      { invitee: guest ? { name: guest } : {}, mode, chat: data.get("chat") === "on", ...(data.get("relayOnly") === "on" ? { relayOnly: true } : {}) },
      token,
    );
    const hosting: Hosting = { token, id: created.id, inviteUrl: created.invite.url, mode };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(hosting));
    host(hosting);
  } catch (error) {
    createError.textContent = error instanceof Error ? error.message : String(error);
    createError.hidden = false;
  }
});

document.querySelector("#copy")!.addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(inviteUrl.value);
    copyStatus.textContent = "Copied.";
  } catch {
    inviteUrl.select();
    copyStatus.textContent = "Select the link and copy it.";
  }
});

another.addEventListener("click", async () => {
  const hosting = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null") as Hosting | null;
  if (!hosting) return;
  try {
    const { invite } = await postJson<InviteResponse>(`/api/v1/consultations/${encodeURIComponent(hosting.id)}/invites`, {}, hosting.token);
    inviteUrl.value = invite.url;
    copyStatus.textContent = "New link ready.";
  } catch (error) {
    copyStatus.textContent = error instanceof Error ? error.message : String(error);
  }
});

const resumed = sessionStorage.getItem(SESSION_KEY);
if (resumed) host(JSON.parse(resumed) as Hosting);
