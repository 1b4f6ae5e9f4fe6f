-- A reported household (outreach) linked to a resident's account by the privacy officer who
-- decided the resident's access request (PIPA art. 35): the resident then sees, in 마이페이지,
-- which officials read that household's record and its cases, when and why. Never derived from a
-- phone number: a report about someone (abuse, neglect) may carry a phone that another person
-- holds, so a person decides each link (PIPA art. 35④2 lets access be limited where it could harm
-- another's life or body).
CREATE TABLE household_accounts (
    household_id BIGINT NOT NULL REFERENCES outreach_households(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    linked_by BIGINT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (household_id, account_id)
);
CREATE INDEX household_accounts_account ON household_accounts (account_id);
