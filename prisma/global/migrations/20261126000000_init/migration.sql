-- CreateTable
CREATE TABLE "directory" (
    "handle" TEXT NOT NULL,
    "email_hash" TEXT NOT NULL,
    "home_region" TEXT NOT NULL,
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "directory_pkey" PRIMARY KEY ("handle")
);

-- CreateTable
CREATE TABLE "kv" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kv_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "directory_email_hash_key" ON "directory"("email_hash");

-- CreateIndex
CREATE INDEX "directory_home_region_idx" ON "directory"("home_region");
