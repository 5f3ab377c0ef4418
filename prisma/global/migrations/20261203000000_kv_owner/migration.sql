-- Who may overwrite a geo key: the user who created it; NULL for keys written by an admin (or before owners
-- existed), which only admins may change.
ALTER TABLE "kv" ADD COLUMN "owner_id" TEXT;
