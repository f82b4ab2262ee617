-- Utilisation quotas, the late-data watermark and the index the facility report reads by.
-- Written in the SQL that H2 (default) and PostgreSQL (production) both accept. See docs/ledger.md.

-- The annual quota (定额机时) per instrument category. National survey tools use 1,600 h for every
-- instrument; older university forms use 1,400 h (general) and 800 h (special-purpose).
CREATE TABLE quota_category (
    category        VARCHAR(32)      PRIMARY KEY,
    hours_per_year  DOUBLE PRECISION NOT NULL,
    description     VARCHAR(200)     NOT NULL,
    CHECK (hours_per_year > 0 AND hours_per_year <= 8784)
);

INSERT INTO quota_category (category, hours_per_year, description)
    VALUES ('NATIONAL', 1600, 'national survey tools: 1,600 h per year for every instrument');
INSERT INTO quota_category (category, hours_per_year, description)
    VALUES ('GENERAL', 1400, 'older university forms: general-purpose instruments');
INSERT INTO quota_category (category, hours_per_year, description)
    VALUES ('SPECIAL_PURPOSE', 800, 'older university forms: special-purpose instruments');

-- An instrument's category, and optionally its own quota, which then outranks the category's.
-- An instrument without a row is in category NATIONAL.
CREATE TABLE instrument_quota (
    instrument_id   VARCHAR(64)      PRIMARY KEY REFERENCES instrument (id),
    category        VARCHAR(32)      NOT NULL REFERENCES quota_category (category),
    hours_per_year  DOUBLE PRECISION,
    updated_at      TIMESTAMP        NOT NULL,
    CHECK (hours_per_year IS NULL OR (hours_per_year > 0 AND hours_per_year <= 8784))
);

-- How far the late-data scan has read lm_batches (by received_at, epoch milliseconds).
CREATE TABLE ledger_watermark (
    name         VARCHAR(64) PRIMARY KEY,
    received_ms  BIGINT      NOT NULL,
    updated_at   TIMESTAMP   NOT NULL
);

-- The facility and annual reports sum every instrument's days of a period in one pass.
CREATE INDEX ledger_day_by_date ON ledger_day (ledger_date, instrument_id);
