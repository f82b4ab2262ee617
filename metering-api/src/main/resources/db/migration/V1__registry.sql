-- Registry of managing units, instruments, their derivation profiles and the agents allowed to report on them.
-- Written in the SQL that H2 (default) and PostgreSQL (production) both accept.

CREATE TABLE facility (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    name_zh     VARCHAR(200),
    created_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE instrument (
    id           VARCHAR(64)  PRIMARY KEY,
    facility_id  VARCHAR(64)  NOT NULL REFERENCES facility (id),
    name         VARCHAR(200) NOT NULL,
    name_zh      VARCHAR(200),
    model        VARCHAR(200),
    asset_no     VARCHAR(64),
    created_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Profiles are versioned: a change is a new row that applies from valid_from; old rows are never edited.
CREATE TABLE instrument_profile (
    instrument_id      VARCHAR(64)      NOT NULL REFERENCES instrument (id),
    version            INTEGER          NOT NULL,
    valid_from         TIMESTAMP        NOT NULL,
    off_below_w        DOUBLE PRECISION NOT NULL,
    on_threshold_w     DOUBLE PRECISION NOT NULL,
    off_threshold_w    DOUBLE PRECISION NOT NULL,
    min_on_ms          BIGINT           NOT NULL,
    min_off_ms         BIGINT           NOT NULL,
    max_sample_gap_ms  BIGINT           NOT NULL,
    created_at         TIMESTAMP        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (instrument_id, version),
    CHECK (off_threshold_w <= on_threshold_w),
    CHECK (off_below_w <= off_threshold_w),
    CHECK (max_sample_gap_ms > 0)
);

CREATE TABLE agent (
    id               VARCHAR(64)  PRIMARY KEY,
    facility_id      VARCHAR(64)  NOT NULL REFERENCES facility (id),
    public_key       VARCHAR(64)  NOT NULL,
    fingerprint      VARCHAR(80)  NOT NULL,
    credential_hash  VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    created_at       TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (status IN ('PENDING', 'APPROVED', 'REVOKED'))
);

CREATE TABLE agent_instrument (
    agent_id       VARCHAR(64) NOT NULL REFERENCES agent (id),
    instrument_id  VARCHAR(64) NOT NULL REFERENCES instrument (id),
    PRIMARY KEY (agent_id, instrument_id)
);

-- The collector's view of each (agent, instrument) hash chain: the last accepted sequence and hash.
CREATE TABLE chain_head (
    agent_id       VARCHAR(64) NOT NULL,
    instrument_id  VARCHAR(64) NOT NULL,
    seq            BIGINT      NOT NULL,
    hash           VARCHAR(64) NOT NULL,
    updated_at     TIMESTAMP   NOT NULL,
    PRIMARY KEY (agent_id, instrument_id)
);
