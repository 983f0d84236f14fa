-- The public contact of a unit (thông tin liên hệ), shown on its public page (/dia-phuong/CODE):
-- the office's address, telephone, e-mail and hours, kept by the unit's own officers. One row per
-- unit; a unit without one shows no contact.
CREATE TABLE unit_contacts (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id),
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES accounts(id),
    updated_at TIMESTAMPTZ NOT NULL
);
