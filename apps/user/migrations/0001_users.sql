-- Users: one row per person. Identity columns are UNIQUE so a duplicate that slipped past Redis is caught here
-- (ARCHITECTURE §2, §5). The national ID is never stored in clear: only its HMAC (dedup) and a masked form (API).
CREATE TABLE users (
  user_id            uuid        PRIMARY KEY,
  name               text        NOT NULL,
  email              text        NOT NULL,
  email_canonical    text        NOT NULL,
  phone_e164         text        NOT NULL,
  national_id_hmac   text        NULL,
  national_id_masked text        NULL,
  status             text        NOT NULL DEFAULT 'CREATED' CHECK (status IN ('CREATED', 'CONFIRMED')),
  version            integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  confirmed_at       timestamptz NULL,
  CONSTRAINT users_email_canonical_key UNIQUE (email_canonical),
  CONSTRAINT users_phone_e164_key UNIQUE (phone_e164),
  CONSTRAINT users_national_id_hmac_key UNIQUE (national_id_hmac)
);

-- Keyset pagination: every allowlisted sort column is indexed together with the user_id tie-breaker.
CREATE INDEX users_created_at_idx ON users (created_at, user_id);
CREATE INDEX users_updated_at_idx ON users (updated_at, user_id);
CREATE INDEX users_name_idx ON users (name, user_id);
CREATE INDEX users_status_created_at_idx ON users (status, created_at, user_id);
-- Prefix search (`q`): case-insensitive on name, canonical (already lower-case) on e-mail.
CREATE INDEX users_name_prefix_idx ON users (lower(name) text_pattern_ops);
CREATE INDEX users_email_prefix_idx ON users (email_canonical text_pattern_ops);

-- Users removed through the admin API: a late or replayed command for them must not bring them back.
CREATE TABLE user_tombstones (
  user_id    uuid        PRIMARY KEY,
  deleted_at timestamptz NOT NULL DEFAULT now()
);

-- A registration command the database refused as a duplicate; recorded once so redelivery emits no second event.
CREATE TABLE registration_rejections (
  user_id            uuid        PRIMARY KEY,
  existing_user_id   uuid        NULL,
  conflicting_fields text[]      NOT NULL,
  rejected_at        timestamptz NOT NULL DEFAULT now()
);

-- Event ids a consumer has applied; marked in the same transaction as the effect.
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
