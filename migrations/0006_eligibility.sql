-- Members' eligibility profiles and saved simulation results. A household profile is among the
-- most sensitive data we hold (incomes, assets, disabilities): it is stored only with the
-- member's consent and only encrypted (context "member_profiles.household"). Times are Unix
-- seconds (UTC); dates are YYYY-MM-DD text.

CREATE TABLE member_profiles (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    household_enc TEXT NOT NULL DEFAULT '',
    alerts_consent BIGINT NOT NULL DEFAULT 0,
    interests TEXT NOT NULL DEFAULT '{}',
    updated_at BIGINT NOT NULL
);

-- One saved answer: the household and the result summary, encrypted together.
CREATE TABLE saved_simulations (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    sim_date TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    body_enc TEXT NOT NULL
);
CREATE INDEX saved_simulations_account ON saved_simulations (account_id, id);
