/**
 * The guest's page. The invite link carries the consultation id and the
 * one-time code in the fragment (`#consultation=…&code=…`), which browsers
 * never send to a server; a known invitee's link has no code and the
 * partner supplies a `token` in the fragment instead.
 */
const params = new URLSearchParams(location.hash.slice(1));
const consultation = params.get("consultation");
const credential = params.get("code") ? ["code", params.get("code")!] : params.get("token") ? ["token", params.get("token")!] : null;

if (!consultation || !credential) {
  document.querySelector<HTMLElement>("#missing")!.hidden = false;
} else {
  const call = document.createElement("samtale-call");
  call.setAttribute("consultation", consultation);
  call.setAttribute(credential[0]!, credential[1]!);
  const lang = params.get("lang");
  if (lang) call.setAttribute("lang", lang);
  document.querySelector("#call")!.replaceChildren(call);
}
