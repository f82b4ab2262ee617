-- Utilisation quotas, the late-data watermark and the monthly sums the facility and annual reports read.
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

-- Each instrument's ledger days summed per calendar month (month_key = year * 100 + month), kept in the
-- same transaction as every ledger_day write. A report over whole months (a calendar year, 1 July - 30 June)
-- reads 12 rows per instrument instead of 365.
CREATE TABLE ledger_month (
    instrument_id          VARCHAR(64) NOT NULL REFERENCES instrument (id),
    month_key              INTEGER     NOT NULL,
    days                   BIGINT      NOT NULL,
    off_ms                 BIGINT      NOT NULL,
    standby_ms             BIGINT      NOT NULL,
    active_ms              BIGINT      NOT NULL,
    fault_ms               BIGINT      NOT NULL,
    unknown_ms             BIGINT      NOT NULL,
    verified_active_ms     BIGINT      NOT NULL,
    effective_ms           BIGINT      NOT NULL,
    external_ms            BIGINT      NOT NULL,
    voucher_ms             BIGINT      NOT NULL,
    verified_effective_ms  BIGINT      NOT NULL,
    maintenance_ms         BIGINT      NOT NULL,
    calibration_ms         BIGINT      NOT NULL,
    training_ms            BIGINT      NOT NULL,
    unbooked_ms            BIGINT      NOT NULL,
    sessions               BIGINT      NOT NULL,
    no_shows               BIGINT      NOT NULL,
    overruns               BIGINT      NOT NULL,
    PRIMARY KEY (instrument_id, month_key)
);

INSERT INTO ledger_month (instrument_id, month_key, days, off_ms, standby_ms, active_ms, fault_ms, unknown_ms, verified_active_ms, effective_ms, external_ms, voucher_ms, verified_effective_ms, maintenance_ms, calibration_ms, training_ms, unbooked_ms, sessions, no_shows, overruns)
    SELECT instrument_id, CAST(EXTRACT(YEAR FROM ledger_date) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM ledger_date) AS INTEGER), COUNT(*), SUM(off_ms), SUM(standby_ms), SUM(active_ms), SUM(fault_ms), SUM(unknown_ms), SUM(verified_active_ms), SUM(effective_ms), SUM(external_ms), SUM(voucher_ms), SUM(verified_effective_ms), SUM(maintenance_ms), SUM(calibration_ms), SUM(training_ms), SUM(unbooked_ms), SUM(sessions), SUM(no_shows), SUM(overruns)
    FROM ledger_day
    GROUP BY instrument_id, CAST(EXTRACT(YEAR FROM ledger_date) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM ledger_date) AS INTEGER);

-- The days of a period's partial months, for every instrument at once.
CREATE INDEX ledger_day_by_date ON ledger_day (ledger_date, instrument_id);
