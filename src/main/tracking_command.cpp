// `shipline tracking check NUMBER`: the same answer as
// GET /api/v1/tracking-numbers/{number}, without a server or a database.

#include <iostream>

#include "http/native/tracking_codec.hpp"
#include "main/commands.hpp"

namespace shipline::main {

int TrackingCheckCommand(const std::vector<std::string>& words) {
  std::string number;
  for (const std::string& word : words) {
    if (!number.empty()) number.push_back(' ');
    number += word;
  }
  std::cout << boost::json::serialize(http::native::TrackingCheckJson(number)) << std::endl;
  return 0;
}

}  // namespace shipline::main
