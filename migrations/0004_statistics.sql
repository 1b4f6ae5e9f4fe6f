-- Welfare status map and statistics: dong boundaries (GeoJSON geometry text per dong), the
-- indicators statistics are reported on, and the values uploaded per district, indicator, dong
-- and year. `dong_id` NULL means the whole district. Values are REAL on SQLite and DOUBLE
-- PRECISION on PostgreSQL; times are Unix seconds (UTC).

CREATE TABLE dong_boundaries (
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL REFERENCES dongs(id),
    geometry TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (district_id, dong_id)
);

-- `aggregate` says how dong values add up to a district figure when no whole-district row was
-- uploaded: 'sum' for counts (people, households), 'none' for rates.
CREATE TABLE statistic_indicators (
    code TEXT PRIMARY KEY,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    aggregate TEXT NOT NULL DEFAULT 'none',
    sort_order BIGINT NOT NULL DEFAULT 0
);

-- dialect: sqlite
CREATE TABLE statistics (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    indicator TEXT NOT NULL REFERENCES statistic_indicators(code),
    dong_id BIGINT REFERENCES dongs(id),
    year BIGINT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
-- SQLite treats NULLs as distinct in UNIQUE: the expression index makes "whole district" one key.
CREATE UNIQUE INDEX statistics_key ON statistics (district_id, indicator, COALESCE(dong_id, 0), year);

-- dialect: postgresql
CREATE TABLE statistics (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    indicator TEXT NOT NULL REFERENCES statistic_indicators(code),
    dong_id BIGINT REFERENCES dongs(id),
    year BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX statistics_key ON statistics (district_id, indicator, COALESCE(dong_id, 0), year);

-- dialect: all
CREATE INDEX statistics_series ON statistics (district_id, indicator, dong_id, year);

-- The indicators every district can report on. Sources name where official figures come from.
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('aged_65_share', '65세 이상 인구 비율', 'Share of residents aged 65+', '%',
     '주민등록인구 중 만 65세 이상 인구의 비율', '행정안전부 주민등록인구통계', 'none', 10);
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('single_household_share', '1인가구 비율', 'Share of single-person households', '%',
     '일반가구 중 1인가구의 비율', '통계청 인구주택총조사(등록센서스)', 'none', 20);
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('livelihood_recipients', '기초생활수급자 수', 'Basic livelihood security recipients', '명',
     '국민기초생활보장 수급자(일반+시설) 수', '보건복지부 국민기초생활보장 수급자 현황', 'sum', 30);
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('registered_disabled', '장애인 등록 인구', 'Registered persons with disabilities', '명',
     '장애인복지법에 따라 등록된 장애인 수', '보건복지부 등록장애인 현황', 'sum', 40);
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('single_parent_households', '한부모가구 수', 'Single-parent households', '가구',
     '한부모와 미혼 자녀로 이루어진 일반가구 수', '통계청 인구주택총조사', 'sum', 50);
INSERT INTO statistic_indicators (code, name_ko, name_en, unit, description, source, aggregate, sort_order) VALUES
    ('elderly_living_alone', '독거노인 수', 'Older people living alone', '명',
     '혼자 사는 만 65세 이상 인구', '통계청 인구주택총조사', 'sum', 60);
