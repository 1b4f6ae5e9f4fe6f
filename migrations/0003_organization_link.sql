-- Links an organization that roles are scoped to (identity) with the catalogue organization
-- (HSDS, UUID) that runs facilities, so a facility manager's grant reaches their facilities.
ALTER TABLE organizations ADD COLUMN catalog_organization_id TEXT;
CREATE INDEX organizations_catalog ON organizations (catalog_organization_id);
