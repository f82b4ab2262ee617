-- Daily ledger, evaluation periods and their immutable snapshots. See docs/ledger.md.
-- Written in the SQL that H2 (default) and PostgreSQL (production) both accept.
-- A ledger day is a UTC calendar day [00:00Z, 24:00Z); all durations are exact milliseconds.

CREATE TABLE ledger_day (
    instrument_id          VARCHAR(64)  NOT NULL REFERENCES instrument (id),
    ledger_date            DATE         NOT NULL,
    off_ms                 BIGINT       NOT NULL,
    standby_ms             BIGINT       NOT NULL,
    active_ms              BIGINT       NOT NULL,
    fault_ms               BIGINT       NOT NULL,
    unknown_ms             BIGINT       NOT NULL,
    verified_active_ms     BIGINT       NOT NULL,
    effective_ms           BIGINT       NOT NULL,
    external_ms            BIGINT       NOT NULL,
    voucher_ms             BIGINT       NOT NULL,
    verified_effective_ms  BIGINT       NOT NULL,
    maintenance_ms         BIGINT       NOT NULL,
    calibration_ms         BIGINT       NOT NULL,
    training_ms            BIGINT       NOT NULL,
    unbooked_ms            BIGINT       NOT NULL,
    sessions               BIGINT       NOT NULL,
    no_shows               BIGINT       NOT NULL,
    overruns               BIGINT       NOT NULL,
    derive_version         VARCHAR(32)  NOT NULL,
    attribution_version    VARCHAR(32)  NOT NULL,
    profile_hash           VARCHAR(64)  NOT NULL,
    row_hash               VARCHAR(64)  NOT NULL,
    computed_at            TIMESTAMP    NOT NULL,
    PRIMARY KEY (instrument_id, ledger_date)
);

-- What each attributed session counted for on one ledger day (a session over midnight has two rows).
CREATE TABLE ledger_session (
    instrument_id        VARCHAR(64)  NOT NULL REFERENCES instrument (id),
    ledger_date          DATE         NOT NULL,
    session_id           VARCHAR(128) NOT NULL,
    attributed_active_ms BIGINT       NOT NULL,
    effective_ms         BIGINT       NOT NULL,
    external_ms          BIGINT       NOT NULL,
    voucher_ms           BIGINT       NOT NULL,
    grade                VARCHAR(1)   NOT NULL,
    no_show              BOOLEAN      NOT NULL,
    overrun_ms           BIGINT       NOT NULL,
    PRIMARY KEY (instrument_id, ledger_date, session_id),
    CHECK (grade IN ('A', 'B', 'C'))
);

-- Evaluation windows; to_date is the last day included.
CREATE TABLE evaluation_period (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    from_date   DATE         NOT NULL,
    to_date     DATE         NOT NULL,
    status      VARCHAR(8)   NOT NULL,
    created_at  TIMESTAMP    NOT NULL,
    CHECK (to_date >= from_date),
    CHECK (status IN ('OPEN', 'CLOSED'))
);

-- Snapshot versions are only ever inserted: version 1 when the period closes, 2.. for corrections.
CREATE TABLE period_snapshot (
    period_id   VARCHAR(64)  NOT NULL REFERENCES evaluation_period (id),
    version     INTEGER      NOT NULL,
    reason      VARCHAR(2000) NOT NULL,
    author      VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP    NOT NULL,
    hash        VARCHAR(64)  NOT NULL,
    PRIMARY KEY (period_id, version),
    CHECK (version >= 1)
);

-- The ledger rows a snapshot was built from, copied as they were.
CREATE TABLE snapshot_day (
    period_id              VARCHAR(64)  NOT NULL,
    version                INTEGER      NOT NULL,
    instrument_id          VARCHAR(64)  NOT NULL,
    ledger_date            DATE         NOT NULL,
    off_ms                 BIGINT       NOT NULL,
    standby_ms             BIGINT       NOT NULL,
    active_ms              BIGINT       NOT NULL,
    fault_ms               BIGINT       NOT NULL,
    unknown_ms             BIGINT       NOT NULL,
    verified_active_ms     BIGINT       NOT NULL,
    effective_ms           BIGINT       NOT NULL,
    external_ms            BIGINT       NOT NULL,
    voucher_ms             BIGINT       NOT NULL,
    verified_effective_ms  BIGINT       NOT NULL,
    maintenance_ms         BIGINT       NOT NULL,
    calibration_ms         BIGINT       NOT NULL,
    training_ms            BIGINT       NOT NULL,
    unbooked_ms            BIGINT       NOT NULL,
    sessions               BIGINT       NOT NULL,
    no_shows               BIGINT       NOT NULL,
    overruns               BIGINT       NOT NULL,
    derive_version         VARCHAR(32)  NOT NULL,
    attribution_version    VARCHAR(32)  NOT NULL,
    profile_hash           VARCHAR(64)  NOT NULL,
    row_hash               VARCHAR(64)  NOT NULL,
    computed_at            TIMESTAMP    NOT NULL,
    PRIMARY KEY (period_id, version, instrument_id, ledger_date),
    FOREIGN KEY (period_id, version) REFERENCES period_snapshot (period_id, version)
);
