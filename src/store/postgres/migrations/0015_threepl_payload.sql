-- What a 3PL-format shipment notification carries beyond tracking (issue 16).
--
-- The address a store's shipments leave from, when a 3PL did not say:
-- ship_from of the notifications shipline sends. '' everywhere: none set.
ALTER TABLE stores ADD COLUMN ship_from_name text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_company text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_line1 text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_line2 text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_city text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_region text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_postal_code text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_country text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_phone text NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN ship_from_email text NOT NULL DEFAULT '';

-- What shipline passes on without reading it, as the client sent it (a JSON
-- array of objects): an order's extra_data and its line items' custom_data.
CREATE TABLE order_pass_through (
  order_id bigint PRIMARY KEY REFERENCES orders(id),
  extra_data text NOT NULL
);
CREATE TABLE line_item_pass_through (
  line_item_id bigint PRIMARY KEY REFERENCES line_items(id),
  custom_data text NOT NULL
);

-- What a 3PL reported of a shipment beyond its packages: where it left from
-- (the columns as in stores), its pallets (a JSON array of objects, as sent)
-- and, per sku, the serial numbers of the units that left (likewise).
CREATE TABLE shipment_reports (
  shipment_id bigint PRIMARY KEY REFERENCES shipments(id),
  ship_from_name text NOT NULL,
  ship_from_company text NOT NULL,
  ship_from_line1 text NOT NULL,
  ship_from_line2 text NOT NULL,
  ship_from_city text NOT NULL,
  ship_from_region text NOT NULL,
  ship_from_postal_code text NOT NULL,
  ship_from_country text NOT NULL,
  ship_from_phone text NOT NULL,
  ship_from_email text NOT NULL,
  pallets text NOT NULL
);
CREATE TABLE shipment_serial_numbers (
  shipment_id bigint NOT NULL REFERENCES shipments(id),
  sku text NOT NULL,
  serial_numbers text NOT NULL,
  PRIMARY KEY (shipment_id, sku)
);
