import { CODE_PREFIX, codeKey, META_KEY, MEMBER_PREFIX, memberKey, type Member, type Meta } from "./storage-schema.ts";

/**
 * A consultation's records in memory, written through to storage. Storage
 * is the truth: the records are read from it once per wake-up (load) and
 * every change is written before its caller tells anyone, so an object
 * that wakes with an empty memory finds exactly what was promised. Reads
 * never touch storage, which keeps the signaling relay free of I/O.
 *
 * A change is made in memory first, in the same synchronous step that
 * checked it, then written: two requests can never both claim one code or
 * ticket, whatever the input gate lets through while crypto is awaited.
 */
export class ConsultationRecords {
  private constructor(
    private readonly storage: DurableObjectStorage,
    readonly meta: Meta,
    readonly members: Map<string, Member>,
    /** Invite code digest → member id. */
    private readonly codes: Map<string, string>,
  ) {}

  /** What storage holds, or undefined when there is no open consultation. */
  static async load(storage: DurableObjectStorage): Promise<ConsultationRecords | undefined> {
    const entries = await storage.list();
    const meta = entries.get(META_KEY) as Meta | undefined;
    if (!meta) return undefined;
    const stored: Member[] = [];
    const codes = new Map<string, string>();
    for (const [key, value] of entries) {
      if (key.startsWith(MEMBER_PREFIX)) stored.push(value as Member);
      else if (key.startsWith(CODE_PREFIX)) codes.set(key.slice(CODE_PREFIX.length), value as string);
    }
    stored.sort((a, b) => (a.invitedIndex ?? 0) - (b.invitedIndex ?? 0));
    const members = new Map(stored.map((member) => [member.id, member]));
    return new ConsultationRecords(storage, meta, members, codes);
  }

  /** A new consultation's first records; its caller writes them. */
  static fresh(storage: DurableObjectStorage, meta: Meta, host: Member): ConsultationRecords {
    host.invitedIndex = 0;
    return new ConsultationRecords(storage, meta, new Map([[host.id, host]]), new Map());
  }

  get host(): Member {
    return this.members.get(this.meta.hostId)!;
  }

  memberWithIdentity(identityKey: string): Member | undefined {
    for (const member of this.members.values()) if (member.identity === identityKey) return member;
    return undefined;
  }

  memberWithCode(codeDigest: string): Member | undefined {
    const memberId = this.codes.get(codeDigest);
    return memberId === undefined ? undefined : this.members.get(memberId);
  }

  /** Adds an invitee, with the digest of its one-time code if it has one. */
  async addMember(member: Member, codeDigest?: string): Promise<void> {
    member.invitedIndex = this.members.size;
    this.members.set(member.id, member);
    if (codeDigest === undefined) return this.storage.put(memberKey(member.id), member);
    this.codes.set(codeDigest, member.id);
    await this.storage.put({ [memberKey(member.id)]: member, [codeKey(codeDigest)]: member.id });
  }

  /** Writes a member changed in memory. */
  saveMember(member: Member): Promise<void> {
    return this.storage.put(memberKey(member.id), member);
  }

  /** Writes the meta changed in memory. */
  saveMeta(): Promise<void> {
    return this.storage.put(META_KEY, this.meta);
  }
}
