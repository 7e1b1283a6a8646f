/**
 * The guest's page. The invite link carries the consultation id and the
 * one-time code in the fragment (`#consultation=…&code=…`), which browsers
 * never send to a server; a known invitee's link has no code and the
 * partner supplies a `token` in the fragment instead. Once read, the
 * fragment is cleared from the address bar (and so from the history, a
 * shared screen and anything that copies the address). The tab keeps it in
 * sessionStorage, so a reload of this tab still knows the consultation; the
 * element forgets its own secrets when the call is over for the tab.
 */
const INVITE_KEY = "samtale-join:invite";
const fragment = location.hash.slice(1);
if (fragment) {
  try {
    sessionStorage.setItem(INVITE_KEY, fragment);
  } catch {
    // blocked storage: a reload then needs the link again
  }
  history.replaceState(history.state, "", location.pathname + location.search);
}
const params = new URLSearchParams(fragment || readInvite());
const consultation = params.get("consultation");
const credential = params.get("code") ? ["code", params.get("code")!] : params.get("token") ? ["token", params.get("token")!] : null;

if (!consultation || !credential) {
  document.querySelector<HTMLElement>("#missing")!.hidden = false;
} else {
  const call = document.createElement("samtale-call");
  call.setAttribute("consultation", consultation);
  // A property, not an attribute: the secret stays out of the DOM.
  if (credential[0] === "code") call.code = credential[1]!;
  else call.token = credential[1]!;
  const lang = params.get("lang");
  if (lang) call.setAttribute("lang", lang);
  document.querySelector("#call")!.replaceChildren(call);
}

function readInvite(): string {
  try {
    return sessionStorage.getItem(INVITE_KEY) ?? "";
  } catch {
    return "";
  }
}
