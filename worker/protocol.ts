/**
 * The wire contract between the worker, the Durable Object and the browser
 * (`<samtale-call>`). The web code imports it too, so it holds types and
 * plain constants only: nothing that pulls worker code into the browser.
 *
 * Add fields and messages freely; never rename, remove or change the meaning
 * of one that is here: partners and browsers already rely on it.
 */

/** Stable error codes, shared by HTTP answers and WebSocket `error` messages. */
export type ErrorCode =
  | "unauthorized"
  | "forbidden"
  | "age_restricted"
  | "not_found"
  | "gone"
  | "code_used"
  | "full"
  | "invalid_request"
  | "too_large"
  | "rate_limited"
  | "internal"
  /** Added: a service Samtale depends on (the partner's key set) cannot be reached; try again later. */
  | "unavailable";

/** Every error body: `{"error": CODE, "message": TEXT}`. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

export type Role = "host" | "guest";
/** How a participant proved who they are: a partner JWT or a one-time code. */
export type Verification = "token" | "code";
export type Mode = "pair" | "group";

/** A person in a consultation. `id` is per consultation, never the token's `sub`. */
export interface Participant {
  id: string;
  name: string;
  role: Role;
  verified: Verification;
}

export interface Policy {
  mode: Mode;
  maxParticipants: number;
  chat: boolean;
}

/** The subset of RTCIceServer the server hands out. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type EndReason = "host-ended" | "expired" | "host-away";

// ---------------------------------------------------------------------------
// HTTP API bodies

export interface CreateConsultationRequest {
  invitee?: { sub?: string; name?: string };
  mode?: Mode;
  maxParticipants?: number;
  chat?: boolean;
  ttlSeconds?: number;
}

export interface Invite {
  /** Present for a guest invite (no `sub`): single use, at least 128 bits. */
  code?: string;
  /** `{origin}/join#consultation={id}[&code={code}]`: secrets stay in the fragment. */
  url: string;
  expiresAt: string;
}

export interface CreateConsultationResponse {
  id: string;
  expiresAt: string;
  invite: Invite;
}

export interface InviteResponse {
  invite: Invite;
}

export interface JoinResponse {
  /** Single use, valid 60 s, for `GET …/ws?ticket=`. */
  ticket: string;
  /** Guests only: lets the same guest get new tickets until the end. */
  resume?: string;
  /** When the ticket expires. */
  expiresAt: string;
}

export interface ConsultationView {
  id: string;
  state: "open";
  expiresAt: string;
  participants: Participant[];
  /** Added to the contract: the consultation's policy, as in `welcome`. */
  policy: Policy;
}

export interface DevTokenRequest {
  sub: string;
  name?: string;
  /** `auditor` (added in v1.1) may read the audit trail and nothing else. */
  role?: "practitioner" | "client" | "auditor";
  birthdate?: string;
}

// ---------------------------------------------------------------------------
// WebSocket messages, server → client

export type ServerMessage =
  | {
      type: "lobby";
      you: Participant;
      /** Added: who will let you in (the host's name only, never a roster). */
      hostName: string;
    }
  | {
      type: "welcome";
      you: Participant;
      participants: Participant[];
      iceServers: IceServer[];
      policy: Policy;
      /** Added: when the consultation expires (ISO 8601 UTC). */
      expiresAt: string;
      /**
       * Added (v1.1): the ids in `participants` whose connection dropped and
       * who are within `PEER_GRACE_SECONDS` of it (each had a `peer-away`).
       */
      away?: string[];
    }
  | { type: "knock"; participant: Participant }
  | { type: "lobby-left"; id: string }
  | { type: "peer-joined"; participant: Participant }
  | { type: "peer-left"; id: string }
  | { type: "signal"; from: string; data: SignalData }
  | { type: "error"; code: ErrorCode; message: string }
  | { type: "ended"; reason: EndReason }
  /** v1.1: an admitted participant's connection dropped; they are still in the call. */
  | { type: "peer-away"; id: string }
  /** v1.1: a participant who was away is back within `PEER_GRACE_SECONDS` (instead of `peer-joined`). */
  | { type: "peer-back"; id: string }
  /** v1.1: to the removed person's sockets, which are then closed with 4011. */
  | { type: "removed" };

// WebSocket messages, client → server

export type ClientMessage =
  | { type: "signal"; to: string; data: SignalData }
  | { type: "admit"; id: string }
  | { type: "deny"; id: string }
  /** v1.1, host only: takes a participant out for good, admitted, waiting, away or gone. */
  | { type: "remove"; id: string }
  | { type: "end" };

/**
 * What peers exchange through `signal`: relayed unchanged by the server.
 * The browser uses `{description}` and `{candidate}` (perfect negotiation).
 */
export type SignalData = Record<string, unknown>;

/** WebSocket close codes. */
export const CloseCode = {
  /** The consultation ended; an `ended` message came first. */
  ended: 4000,
  /** A newer connection of the same participant took over. */
  replaced: 4003,
  /** The socket kept flooding or sending oversized frames. */
  policy: 4008,
  /** The host denied this guest. */
  denied: 4010,
  /** v1.1: the host removed this participant; a `removed` message came first. */
  removed: 4011,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

// ---------------------------------------------------------------------------
// Audit trail (v1.1): what the partner's auditor reads

export type AuditEventType = "created" | "invited" | "knocked" | "admitted" | "denied" | "removed" | "joined" | "left" | "ended";

/** A participant as the audit keeps it: plus `sub` for token holders (`null` names once erased). */
export interface AuditParticipant extends Omit<Participant, "name"> {
  name: string | null;
  sub?: string;
}

export interface AuditEvent {
  seq: number;
  at: string;
  consultation: string;
  type: AuditEventType;
  participant?: AuditParticipant;
  /** The acting participant's id: on admitted, denied, removed and a host-ended end. */
  by?: string;
  reason?: EndReason;
}

export interface AuditConsultation {
  consultation: string;
  events: AuditEvent[];
}

export interface AuditSubjectConsultation {
  id: string;
  startedAt: string;
  endedAt?: string;
  endReason?: EndReason;
  durationSeconds?: number;
  host: AuditParticipant;
  participants: (AuditParticipant & { joinedAt?: string; leftAt?: string })[];
}

export interface AuditSubject {
  subject: string;
  consultations: AuditSubjectConsultation[];
}

export interface AuditVerification {
  ok: boolean;
  events: number;
  brokenAt?: number;
}

// ---------------------------------------------------------------------------
// Webhooks (v1.1): the body of each delivery

export type WebhookType =
  | "consultation.created"
  | "invite.created"
  | "participant.knocked"
  | "participant.admitted"
  | "participant.denied"
  | "participant.removed"
  | "participant.joined"
  | "participant.left"
  | "consultation.ended";

export interface WebhookBody {
  type: WebhookType;
  timestamp: string;
  data: {
    consultation: string;
    /** For token holders with their `sub`, so the partner knows whom it concerns. */
    participant?: Participant & { sub?: string };
    invite?: Invite;
    reason?: EndReason;
    durationSeconds?: number;
  };
}
