/** `{apiBase}{path}`, whether `api-base` ends with a slash or not; the page's origin when it is absent. */
export function apiUrl(apiBase: string | null | undefined, path: string, pageOrigin: string): string {
  const base = (apiBase || pageOrigin).replace(/\/+$/, "");
  return `${base}${path}`;
}

/** The same URL for a WebSocket: `http` becomes `ws`, `https` becomes `wss`. */
export function webSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}
