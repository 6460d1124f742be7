-- Transactional outbox: every change writes its event here in the same transaction; the relay publishes rows
-- in id order with the stored event_id, so a re-publish after a crash carries the same CloudEvents id.
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  key          text        NOT NULL,
  event_type   text        NOT NULL,
  payload      jsonb       NOT NULL,
  traceparent  text        NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NULL
);

CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wake the relay at commit (NOTIFY is delivered on commit and collapsed per transaction); it also polls.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('scalefu_user_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify_after_insert
  AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
