/**
 * This tab's DTLS certificate for one consultation, and the peers it has
 * verified there, kept in IndexedDB (an `RTCCertificate` is structured-
 * cloneable; its private key never leaves the browser). A reload or a
 * reconnect reuses them, so the fingerprint and the code stay the same for
 * the whole consultation. The record is keyed by consultation and by this
 * tab (tab-memory.ts), and deleted when the consultation ends for the tab.
 * Where IndexedDB is blocked, the keys live in memory only: a reload then
 * looks like a new certificate to the others (they see the change warning).
 */
import { forget, recall, remember } from "./tab-memory.ts";
import { normalizeFingerprint } from "./verification-code.ts";

/** What we verified with one peer: the fingerprint they showed and the code both of us read. */
export interface Pin {
  fingerprint: string;
  code: string;
}

export interface ConsultationKeys {
  certificate: RTCCertificate;
  /** Our own fingerprint, normalised. */
  fingerprint: string;
  /** By peer participant id. */
  pins: Record<string, Pin>;
}

interface StoredKeys {
  certificate: RTCCertificate;
  pins: Record<string, Pin>;
  savedAt: number;
}

const DATABASE = "samtale";
const STORE = "consultation-keys";
/** A certificate this close to expiry is replaced (consultations last at most a day). */
const MIN_REMAINING_MS = 25 * 60 * 60 * 1000;
/** Records of consultations that never ended cleanly (a closed tab) are swept after this. */
const STALE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

export async function loadKeys(consultation: string): Promise<ConsultationKeys> {
  const key = recordKey(consultation);
  const stored = await withStore("readonly", (store) => store.get(key)).catch(() => undefined);
  const record = stored as StoredKeys | undefined;
  if (record?.certificate && record.certificate.expires - Date.now() > MIN_REMAINING_MS) {
    return { certificate: record.certificate, fingerprint: ownFingerprint(record.certificate), pins: record.pins ?? {} };
  }
  void sweepStale();
  const certificate = await RTCPeerConnection.generateCertificate({ name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams);
  const keys = { certificate, fingerprint: ownFingerprint(certificate), pins: {} };
  await saveKeys(consultation, keys);
  return keys;
}

/** Write the whole record (certificate and pins together, so a reload never has one without the other). */
export async function saveKeys(consultation: string, keys: ConsultationKeys): Promise<void> {
  const record: StoredKeys = { certificate: keys.certificate, pins: keys.pins, savedAt: Date.now() };
  await withStore("readwrite", (store) => store.put(record, recordKey(consultation))).catch(() => undefined);
}

export async function deleteKeys(consultation: string): Promise<void> {
  const key = recordKey(consultation);
  forget("tab", consultation);
  await withStore("readwrite", (store) => store.delete(key)).catch(() => undefined);
}

function ownFingerprint(certificate: RTCCertificate): string {
  const sha256 = certificate.getFingerprints().find((f) => f.algorithm?.toLowerCase() === "sha-256") ?? certificate.getFingerprints()[0]!;
  return normalizeFingerprint(sha256.algorithm!, sha256.value!);
}

/** The consultation's key for this tab: a random tab id kept in sessionStorage survives a reload. */
function recordKey(consultation: string): string {
  let tab = recall("tab", consultation);
  if (!tab) {
    tab = crypto.randomUUID();
    remember("tab", consultation, tab);
  }
  return `${consultation}:${tab}`;
}

async function sweepStale(): Promise<void> {
  await withStore("readwrite", (store) => {
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      if (Date.now() - ((at.value as StoredKeys).savedAt ?? 0) > STALE_AFTER_MS) at.delete();
      at.continue();
    };
    return cursor;
  }).catch(() => undefined);
}

function withStore(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const transaction = db.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      transaction.onerror = transaction.onabort = () => {
        db.close();
        reject(transaction.error);
      };
    };
  });
}
