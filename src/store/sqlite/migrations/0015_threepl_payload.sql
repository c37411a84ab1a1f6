-- What a 3PL-format shipment notification carries beyond tracking (issue 16).
--
-- The address a store's shipments leave from, when a 3PL did not say:
-- ship_from of the notifications shipline sends. '' everywhere: none set.
ALTER TABLE stores ADD COLUMN ship_from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_company TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_city TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_region TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_country TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_email TEXT NOT NULL DEFAULT '';

-- What shipline passes on without reading it, as the client sent it (a JSON
-- array of objects): an order's extra_data and its line items' custom_data.
CREATE TABLE order_pass_through (
  order_id INTEGER PRIMARY KEY REFERENCES orders(id),
  extra_data TEXT NOT NULL
);
CREATE TABLE line_item_pass_through (
  line_item_id INTEGER PRIMARY KEY REFERENCES line_items(id),
  custom_data TEXT NOT NULL
);

-- What a 3PL reported of a shipment beyond its packages: where it left from
-- (the columns as in stores), its pallets (a JSON array of objects, as sent)
-- and, per sku, the serial numbers of the units that left (likewise).
CREATE TABLE shipment_reports (
  shipment_id INTEGER PRIMARY KEY REFERENCES shipments(id),
  ship_from_name TEXT NOT NULL,
  ship_from_company TEXT NOT NULL,
  ship_from_line1 TEXT NOT NULL,
  ship_from_line2 TEXT NOT NULL,
  ship_from_city TEXT NOT NULL,
  ship_from_region TEXT NOT NULL,
  ship_from_postal_code TEXT NOT NULL,
  ship_from_country TEXT NOT NULL,
  ship_from_phone TEXT NOT NULL,
  ship_from_email TEXT NOT NULL,
  pallets TEXT NOT NULL
);
CREATE TABLE shipment_serial_numbers (
  shipment_id INTEGER NOT NULL REFERENCES shipments(id),
  sku TEXT NOT NULL,
  serial_numbers TEXT NOT NULL,
  PRIMARY KEY (shipment_id, sku)
);
