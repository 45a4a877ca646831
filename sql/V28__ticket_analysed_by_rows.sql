-- The ticket table keeps weeks of tickets, and each morning's are a small part of it that changes
-- fast. By default PostgreSQL analyses a table once a tenth of its rows have changed, so with
-- weeks of history the planner would plan the morning rush on statistics in which nobody waits.
-- Here the table is analysed after 500 changed rows and vacuumed after 2,000 dead ones, whatever
-- its size: an analysis reads a sample of at most 30,000 rows however long the history, and a
-- vacuum skips the pages that have not changed since the last one.
ALTER TABLE ticket SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500,
                        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
