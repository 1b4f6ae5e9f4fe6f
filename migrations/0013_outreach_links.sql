-- Links between the ways a household in crisis is found.
-- outreach_households.household_hash: the blind index of the institutions' household key (the one
-- indicator files carry, same keyed hash as risk_indicators.household_hash), recorded by the
-- official who identified the household; it lets a screening round say which reported households
-- the data alone would have missed.
-- survey_responses.household_id: the outreach household a flagged interview was filed into.
ALTER TABLE outreach_households ADD COLUMN household_hash TEXT;
CREATE INDEX outreach_households_hash ON outreach_households (district_id, household_hash);
ALTER TABLE survey_responses ADD COLUMN household_id BIGINT REFERENCES outreach_households(id);
