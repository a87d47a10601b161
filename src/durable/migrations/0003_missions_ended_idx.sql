-- The reconciler checks the logs of missions that ended recently for gaps (a bounded look-back, not
-- all history): this index finds them without reading every mission ever played.
CREATE INDEX missions_ended_idx ON missions (ended_at) WHERE ended_at IS NOT NULL;
