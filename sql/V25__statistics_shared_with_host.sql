-- Statistics (issue 14): an organisation serving at a point hosted by another may share its
-- service breakdown of that point with the host. Kept per point and serving organisation, on the
-- membership itself, so it ends with the membership (an organisation added again starts unshared).
-- The host's lobby figures break down by service and organisation only for the organisations that
-- share; the others stay one undivided part of the lobby's totals.
ALTER TABLE service_point_member ADD COLUMN shares_statistics boolean NOT NULL DEFAULT false;
