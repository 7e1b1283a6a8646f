/** Who a verified partner (or demo) token says its bearer is. */
export interface Identity {
  issuer: string;
  subject: string;
  name?: string;
  /** `practitioner` may host; anything else is a client. */
  role?: "practitioner" | "client";
}

/** One string per person across issuers: `iss` and `sub` together. */
export function identityKey(identity: Pick<Identity, "issuer" | "subject">): string {
  return JSON.stringify([identity.issuer, identity.subject]);
}
