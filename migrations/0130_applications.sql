-- Online applications (src/applications, docs/applications.md). A resident (or an official on
-- an offline resident's behalf, with the resident's consent recorded) fills a form defined as data
-- (data/applications/forms/), saves drafts, uploads documents and submits; staff of the
-- application's dong review, ask for more documents and decide with a written reason.
-- Personal content (answers, the resident's details, files) is encrypted at rest (identity::Keyring).
-- status: draft, received, under_review, more_documents, decided. decision: approved, rejected.
-- receipt_no is given at the first submission and is unique (YYYY-NNNNNN).
CREATE TABLE applications (
    id {{ID}},
    district_id BIGINT NOT NULL REFERENCES districts(id),
    dong_id BIGINT NOT NULL,
    form_code TEXT NOT NULL,
    form_version TEXT NOT NULL,
    account_id BIGINT NOT NULL DEFAULT 0,
    on_behalf_by BIGINT NOT NULL DEFAULT 0,
    resident_enc TEXT NOT NULL DEFAULT '',
    consent_method TEXT NOT NULL DEFAULT '',
    consent_at BIGINT NOT NULL DEFAULT 0,
    consent_enc TEXT NOT NULL DEFAULT '',
    answers_enc TEXT NOT NULL DEFAULT '',
    consents_json TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'draft',
    decision TEXT NOT NULL DEFAULT '',
    decision_reason_enc TEXT NOT NULL DEFAULT '',
    request_note_enc TEXT NOT NULL DEFAULT '',
    receipt_no TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    decided_at BIGINT NOT NULL DEFAULT 0,
    decided_by BIGINT NOT NULL DEFAULT 0,
    CHECK (status IN ('draft', 'received', 'under_review', 'more_documents', 'decided')),
    CHECK (status <> 'decided' OR (decision IN ('approved', 'rejected') AND decision_reason_enc <> '' AND decided_by <> 0)),
    CHECK (consent_method IN ('', 'written', 'phone', 'visit')),
    CHECK (on_behalf_by = 0 OR (consent_method <> '' AND consent_at > 0)),
    CHECK (account_id <> 0 OR on_behalf_by <> 0)
);
CREATE UNIQUE INDEX applications_receipt ON applications (receipt_no);
CREATE INDEX applications_account ON applications (account_id, updated_at);
CREATE INDEX applications_queue ON applications (district_id, status, dong_id, submitted_at);

-- Uploaded documents: the bytes encrypted (data_enc), the type told from the magic bytes.
CREATE TABLE application_files (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    document_code TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    data_enc TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX application_files_app ON application_files (application_id);

-- Every status change, in order: what the resident follows in 마이페이지 (note: the request for
-- documents or the decision's reason, written by a person).
CREATE TABLE application_events (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    actor_account_id BIGINT NOT NULL,
    note_enc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app ON application_events (application_id, id);
