import type { Logger } from '@scalefu/service-kit';
import type { Queryable } from './db';

/** What happened; the table is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export interface AuditEvent {
  /** e.g. `auth.login`, `auth.mfa`, `auth.refresh_reuse`, `users.delete`, `accounts.role_change`. */
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly actorId?: string | undefined;
  /** The resource acted on (a userID, an account id); never an e-mail, token or code. */
  readonly target?: string | undefined;
  readonly clientIp?: string | undefined;
  readonly requestId?: string | undefined;
  /** Small, non-secret facts (reason, role). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly id: number;
  readonly at: Date;
}

/** Write the row and one structured log line with the same fields. */
export async function audit(db: Queryable, logger: Logger, event: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (action, outcome, actor_id, target, client_ip, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.action,
      event.outcome,
      event.actorId ?? null,
      event.target ?? null,
      event.clientIp ?? null,
      event.requestId ?? null,
      event.details ?? {},
    ],
  );
  logger.info(
    {
      audit: event.action,
      outcome: event.outcome,
      actor_id: event.actorId,
      target: event.target,
      client_ip: event.clientIp,
      req_id: event.requestId,
      ...event.details,
    },
    'audit event',
  );
}

interface Row {
  id: string;
  at: Date;
  action: string;
  outcome: 'success' | 'failure';
  actor_id: string | null;
  target: string | null;
  client_ip: string | null;
  request_id: string | null;
  details: Record<string, string | number | boolean>;
}

/** Newest first; `beforeId` is the cursor (the last id of the previous page). */
export async function listAuditEvents(db: Queryable, limit: number, beforeId?: number): Promise<StoredAuditEvent[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM audit_events WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [beforeId ?? null, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    action: r.action,
    outcome: r.outcome,
    actorId: r.actor_id ?? undefined,
    target: r.target ?? undefined,
    clientIp: r.client_ip ?? undefined,
    requestId: r.request_id ?? undefined,
    details: r.details,
  }));
}
