#include "workers/position_reader.hpp"

#include <algorithm>

namespace shipline::workers {

PositionReader::PositionReader(app::Store& store, app::Clock& clock, std::string consumer,
                               std::chrono::milliseconds lease, int batch)
    : store_(store),
      consumer_(std::move(consumer)),
      batch_(std::max(1, batch)),
      lease_(store, clock, consumer_, lease) {}

Result<int> PositionReader::Next(const Handler& handle) {
  // Another node holding the consumer handles the events meanwhile.
  auto held = lease_.Hold();
  if (!held) return std::move(held).error();
  if (!*held) return 0;
  std::vector<domain::Event> events;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](app::StoreReader& reader) -> Status {
    auto position = reader.Events().Position(consumer_);
    if (!position) return std::move(position).error();
    auto found = reader.Events().List(std::nullopt, *position, batch_);
    if (!found) return std::move(found).error();
    events = std::move(*found);
    return Ok();
  }));
  if (events.empty()) return 0;
  return handle(events);
}

}  // namespace shipline::workers
