#include "store/ship_from_columns.hpp"

namespace shipline::store {

namespace {

constexpr const char* kNames[] = {"name",   "company",     "line1",   "line2", "city",
                                  "region", "postal_code", "country", "phone", "email"};

}  // namespace

std::string ShipFromUpdate() {
  std::string out;
  for (const char* name : kNames) {
    if (!out.empty()) out += ", ";
    out += std::string("ship_from_") + name + " = excluded.ship_from_" + name;
  }
  return out;
}

sql::Params& AddShipFrom(sql::Params& params, const domain::ShipFrom& a) {
  return params.Add(a.name)
      .Add(a.company)
      .Add(a.line1)
      .Add(a.line2)
      .Add(a.city)
      .Add(a.region)
      .Add(a.postal_code)
      .Add(a.country)
      .Add(a.phone)
      .Add(a.email);
}

domain::ShipFrom ReadShipFrom(const sql::Rows& row, int first) {
  domain::ShipFrom a;
  for (std::string* field : {&a.name, &a.company, &a.line1, &a.line2, &a.city, &a.region,
                             &a.postal_code, &a.country, &a.phone, &a.email}) {
    *field = row.Text(first++);
  }
  return a;
}

}  // namespace shipline::store
