-- The plan task (nhiệm vụ kế hoạch) a dissemination session carries out, if any: chosen among
-- the tasks the session's unit answers for (checked by the application through the kernel's
-- `LinkableTask` port); a task deleted from its plan leaves the session unlinked.
-- See docs/disseminators.md.
ALTER TABLE dissem_activities ADD COLUMN task_id BIGINT REFERENCES tasks(id) ON DELETE SET NULL;
CREATE INDEX dissem_activities_task_idx ON dissem_activities (task_id);
