-- Admin access (ARCHITECTURE §10): accounts, refresh-token families, backup codes, trusted devices, audit trail.
-- Passwords are argon2id PHC strings; refresh tokens, backup codes and device ids are stored only as SHA-256 hashes.
CREATE TABLE admin_accounts (
  account_id      uuid        PRIMARY KEY,
  email           text        NOT NULL,
  role            text        NOT NULL CHECK (role IN ('admin', 'viewer')),
  password_hash   text        NOT NULL,
  -- TOTP secret sealed with MFA_ENCRYPTION_KEY (AES-256-GCM, bound to the account id); pending until the first
  -- correct code sets totp_active.
  totp_secret     text        NULL,
  totp_active     boolean     NOT NULL DEFAULT false,
  -- Highest 30 s step already accepted: a code of this step or an earlier one is a replay.
  totp_last_step  bigint      NULL,
  disabled        boolean     NOT NULL DEFAULT false,
  -- Bumped by a disable, a role change or an MFA reset; tokens carrying an older value may no longer write.
  token_version   integer     NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  last_login_at   timestamptz NULL,
  CONSTRAINT admin_accounts_email_key UNIQUE (email),
  CONSTRAINT admin_accounts_email_lower CHECK (email = lower(email))
);

-- One family per sign-in; every rotation adds a token to it. Re-use of a rotated token revokes the family.
CREATE TABLE refresh_families (
  family_id      uuid        PRIMARY KEY,
  account_id     uuid        NOT NULL REFERENCES admin_accounts ON DELETE CASCADE,
  auth_time      timestamptz NOT NULL,
  amr            text[]      NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  absolute_expires_at timestamptz NOT NULL,
  revoked_at     timestamptz NULL,
  revoke_reason  text        NULL
);
CREATE INDEX refresh_families_account_idx ON refresh_families (account_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  token_hash   bytea       PRIMARY KEY,
  family_id    uuid        NOT NULL REFERENCES refresh_families ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  rotated_at   timestamptz NULL
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE backup_codes (
  account_id  uuid        NOT NULL REFERENCES admin_accounts ON DELETE CASCADE,
  code_hash   bytea       NOT NULL,
  used_at     timestamptz NULL,
  PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE trusted_devices (
  device_id   uuid        PRIMARY KEY,
  account_id  uuid        NOT NULL REFERENCES admin_accounts ON DELETE CASCADE,
  label       text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz NULL
);
CREATE INDEX trusted_devices_account_idx ON trusted_devices (account_id);

-- Append-only: the trigger refuses UPDATE, DELETE and TRUNCATE for every role, the owner included.
CREATE TABLE audit_events (
  id          bigserial   PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  action      text        NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_id    uuid        NULL,
  target      text        NULL,
  client_ip   text        NULL,
  request_id  text        NULL,
  details     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_at_idx ON audit_events (at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
