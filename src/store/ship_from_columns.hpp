#pragma once

// A ship-from address as the ten ship_from_* columns that stores and
// shipment_reports both hold (migration 0015), in one order everywhere.

#include <string>

#include "domain/ship_from.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

inline constexpr const char* kShipFromColumns =
    "ship_from_name, ship_from_company, ship_from_line1, ship_from_line2, ship_from_city, "
    "ship_from_region, ship_from_postal_code, ship_from_country, ship_from_phone, "
    "ship_from_email";

// "ship_from_name = excluded.ship_from_name, ..." for an upsert.
std::string ShipFromUpdate();

// Binds the ten columns' values, in kShipFromColumns' order.
sql::Params& AddShipFrom(sql::Params& params, const domain::ShipFrom& ship_from);

// Reads the ten columns starting at column `first`.
domain::ShipFrom ReadShipFrom(const sql::Rows& row, int first);

}  // namespace shipline::store
