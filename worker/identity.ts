/** Who a verified partner (or demo) token says its bearer is. */
export interface Identity {
  issuer: string;
  subject: string;
  name?: string;
  /** `practitioner` may host; `auditor` may only read the audit trail; anything else is a client. */
  role?: "practitioner" | "client" | "auditor";
}

/** One string per person across issuers: `iss` and `sub` together. */
export function identityKey(identity: Pick<Identity, "issuer" | "subject">): string {
  return JSON.stringify([identity.issuer, identity.subject]);
}

/** The `sub` inside an identityKey(), for the audit and webhooks. */
export function subjectOfKey(key: string): string {
  return (JSON.parse(key) as [string, string])[1];
}
