-- Two more roles: 'manager' reads the statistics of the organisation's services, 'reception' may
-- act on the tickets of every organisation at a shared point (transfer a visitor to the right
-- desk). Both are given alongside 'staff' or 'admin'.
ALTER TABLE staff DROP CONSTRAINT staff_roles_check;
ALTER TABLE staff ADD CONSTRAINT staff_roles_check
    CHECK (roles <@ ARRAY['staff', 'admin', 'manager', 'reception', 'sysadmin'] AND cardinality(roles) > 0);
