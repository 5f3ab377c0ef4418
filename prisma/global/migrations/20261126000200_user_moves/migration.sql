-- Home-region moves of users (seed 000): the step reached, so an interrupted move resumes where it stopped.
CREATE TABLE "user_moves" (
    "id" UUID NOT NULL,
    "handle" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "from_region" TEXT NOT NULL,
    "to_region" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "posts_moved" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_moves_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "user_moves_step_check" CHECK ("step" IN ('copy', 'verify', 'flip', 'invalidate', 'cleanup', 'done'))
);

CREATE INDEX "user_moves_handle_idx" ON "user_moves"("handle");

-- Two admins starting a move of one user at once: the second insert fails instead of running a second move.
CREATE UNIQUE INDEX "user_moves_one_unfinished_per_handle" ON "user_moves"("handle") WHERE "step" <> 'done';
