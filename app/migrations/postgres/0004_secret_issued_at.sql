-- When the current secret was issued (creation or the last Reset): introspection's `iat`.
ALTER TABLE tokens ADD COLUMN secret_issued_at BIGINT;
UPDATE tokens SET secret_issued_at = created_at;
