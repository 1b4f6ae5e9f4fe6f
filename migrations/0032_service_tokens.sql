-- API tokens belong to partner service accounts, never to people: an account has a kind
-- ('person' or 'service'; service accounts cannot log in), and a token has scopes (the actions it
-- may do, comma-separated), an expiry, and the token it replaced when rotated. Tokens issued
-- before this acted as people; with no scope and expires_at 0 they no longer authenticate.
ALTER TABLE accounts ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN rotated_from BIGINT;
