/**
 * What this tab remembers about a consultation across a page reload, in
 * sessionStorage: a guest's `resume`, that this tab was already in the
 * call (`joined`), so a reload goes straight back without the device check,
 * that the host turned this tab away (`denied`: a reload shows that again
 * without asking the service, since the resume is forgotten),
 * and the tab's own id (`tab`), under which certificate-store.ts keeps the
 * tab's certificate.
 * Storage can be blocked (some embedded contexts); then nothing is remembered.
 */

export type Memory = "resume" | "joined" | "denied" | "tab";

const key = (memory: Memory, consultation: string) => `samtale:${memory}:${consultation}`;

export function recall(memory: Memory, consultation: string): string | null {
  try {
    return sessionStorage.getItem(key(memory, consultation));
  } catch {
    return null;
  }
}

export function remember(memory: Memory, consultation: string, value: string): void {
  try {
    sessionStorage.setItem(key(memory, consultation), value);
  } catch {
    // blocked: see above
  }
}

export function forget(memory: Memory, consultation: string): void {
  try {
    sessionStorage.removeItem(key(memory, consultation));
  } catch {
    // blocked: see above
  }
}
