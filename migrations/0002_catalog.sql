-- Catalogue: the organizations that provide welfare services, the services with their version
-- history, facilities (HSDS locations), service_at_location links, taxonomies and their terms.
-- Ids are UUID text. Every row carries its district and its HSDS 3.0 document (`hsds_json`),
-- which keeps what the columns do not (phones, schedules, attributes …), so export loses nothing.
-- List fields (life stages, situations, topics, keywords, channels, dong ids, accessibility) are
-- JSON arrays as text: filters and facets over them run in memory in the search index.
-- Times are Unix seconds (UTC); dates (last_verified) are YYYY-MM-DD text, '' when unknown.
-- HSDS organizations live in catalog_organizations: `organizations` belongs to identity.

CREATE TABLE catalog_organizations (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    name TEXT NOT NULL,
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX catalog_organizations_district ON catalog_organizations (district_id, name);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    organization_id TEXT REFERENCES catalog_organizations(id),
    name TEXT NOT NULL,
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    application_process TEXT NOT NULL DEFAULT '',
    eligibility_description TEXT NOT NULL DEFAULT '',
    fees_description TEXT NOT NULL DEFAULT '',
    minimum_age BIGINT,
    maximum_age BIGINT,
    program_code TEXT NOT NULL DEFAULT '',
    provider_level TEXT NOT NULL DEFAULT '',
    life_stages TEXT NOT NULL DEFAULT '[]',
    situations TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '[]',
    channels TEXT NOT NULL DEFAULT '[]',
    application_period TEXT NOT NULL DEFAULT '',
    dong_ids TEXT NOT NULL DEFAULT '[]',
    last_verified TEXT NOT NULL DEFAULT '',
    verified_by TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_district ON services (district_id, name);
CREATE INDEX services_program_code ON services (district_id, program_code);
CREATE INDEX services_last_verified ON services (district_id, last_verified);
CREATE INDEX services_organization ON services (organization_id);

-- One row per saved state of a service, version 1 at creation.
CREATE TABLE service_versions (
    id {{ID}},
    service_id TEXT NOT NULL REFERENCES services(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    version BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    UNIQUE (service_id, version)
);

-- HSDS locations with the Korean facility attributes. organization_id is not a foreign key:
-- HSDS files often name an organization they do not include.
CREATE TABLE facilities (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT,
    organization_id TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    capacity BIGINT NOT NULL DEFAULT 0,
    accessibility TEXT NOT NULL DEFAULT '[]',
    hsds_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX facilities_district ON facilities (district_id, name);
CREATE INDEX facilities_type ON facilities (district_id, type);
CREATE INDEX facilities_dong ON facilities (district_id, dong_id);
CREATE INDEX facilities_organization ON facilities (organization_id);

CREATE TABLE service_at_locations (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    location_id TEXT NOT NULL REFERENCES facilities(id),
    description TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX service_at_locations_district ON service_at_locations (district_id);
CREATE INDEX service_at_locations_service ON service_at_locations (service_id);
CREATE INDEX service_at_locations_location ON service_at_locations (location_id);

CREATE TABLE taxonomies (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    uri TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX taxonomies_district ON taxonomies (district_id, name);

-- taxonomy_id and parent_id are not foreign keys: terms may point to vocabularies kept elsewhere.
CREATE TABLE taxonomy_terms (
    id TEXT PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    taxonomy_id TEXT NOT NULL DEFAULT '',
    parent_id TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    hsds_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX taxonomy_terms_district ON taxonomy_terms (district_id, taxonomy_id);
CREATE INDEX taxonomy_terms_parent ON taxonomy_terms (parent_id);

-- HSDS records no catalogue row owns (programs of absent organizations, meta table
-- descriptions, attributes linked to absent records), kept so export returns them.
CREATE TABLE hsds_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    hsds_json TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX hsds_records_district ON hsds_records (district_id, kind);
