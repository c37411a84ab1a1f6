-- Brings the two engines' schemas to one (tests/unit/schema_parity_test.cpp
-- compares them), so that the store core's one SQL serves both: a shipment
-- item's id is unique, as on SQLite, where it is the row's key.
CREATE UNIQUE INDEX shipment_items_id ON shipment_items (id);
