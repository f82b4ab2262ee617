-- Usage sessions (bookings, logins, card and QR scans, sample orders, manual entries) imported per instrument.
-- Written in the SQL that H2 (default) and PostgreSQL (production) both accept.
-- Times are epoch milliseconds (UTC), exactly as the attribution engine uses them, so that no time-zone
-- conversion can move a booking's edge. A session id is unique per instrument.

CREATE TABLE usage_session (
    instrument_id     VARCHAR(64)    NOT NULL REFERENCES instrument (id),
    id                VARCHAR(128)   NOT NULL,
    kind              VARCHAR(16)    NOT NULL,
    start_ms          BIGINT         NOT NULL,
    end_ms            BIGINT         NOT NULL,
    user_name         VARCHAR(200)   NOT NULL,
    user_entity_id    VARCHAR(128)   NOT NULL,
    service_way       VARCHAR(16)    NOT NULL,
    direction         VARCHAR(16)    NOT NULL,
    purpose           VARCHAR(32)    NOT NULL,
    funding           VARCHAR(200)   NOT NULL,
    fee               NUMERIC(18, 2) NOT NULL,
    voucher_id        VARCHAR(128),
    voucher_redeemed  BOOLEAN        NOT NULL,
    invoiced          BOOLEAN        NOT NULL,
    prep_ms           BIGINT         NOT NULL,
    post_ms           BIGINT         NOT NULL,
    source            VARCHAR(200)   NOT NULL,
    imported_at       TIMESTAMP      NOT NULL,
    PRIMARY KEY (instrument_id, id),
    CHECK (end_ms > start_ms),
    CHECK (prep_ms >= 0 AND post_ms >= 0),
    CHECK (fee >= 0),
    CHECK (kind IN ('BOOKING', 'LOGIN', 'CARD', 'QR', 'SAMPLE_ORDER', 'MANUAL')),
    CHECK (service_way IN ('USE', 'TECHNICAL', 'COMMISSIONED', 'REMOTE', 'OTHER')),
    CHECK (direction IN ('RESEARCH', 'DEVELOPMENT', 'TEACHING', 'OTHER'))
);

-- Attribution reads the sessions of one instrument that overlap a window.
CREATE INDEX usage_session_window ON usage_session (instrument_id, start_ms);
