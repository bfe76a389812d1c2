-- Sessions now keep only a SHA-256 of the session id, so a copy of the database (or of its WAL)
-- holds nothing that signs anyone in. Hashing the stored ids in place would keep them working for
-- whoever holds an older copy with the raw ids (a backup, an old WAL segment), so they are deleted
-- instead: everyone signs in once more after this upgrade.
DELETE FROM "sessions";--> statement-breakpoint
ALTER TABLE "sessions" RENAME COLUMN "sid" TO "sid_hash";
