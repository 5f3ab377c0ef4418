-- Written by the failover service to verify that a newly promoted primary accepts writes.
CREATE TABLE "_router_heartbeat" (
    "group_name" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "written_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "_router_heartbeat_pkey" PRIMARY KEY ("group_name")
);
