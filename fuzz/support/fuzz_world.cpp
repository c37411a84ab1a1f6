#include "support/fuzz_world.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "http/routes.hpp"
#include "http/wire_request.hpp"
#include "support/properties.hpp"
#include "support/test_world.hpp"

namespace shipline::fuzz {

struct FuzzWorld::Impl {
  test::World world;
  http::Router router{&world.keys};
};

namespace {

// The world is never destroyed (its workers and store would race the
// process's exit), but its folder goes at exit.
std::filesystem::path world_folder;

void RemoveWorldFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(world_folder, ignored);
}

}  // namespace

FuzzWorld& FuzzWorld::Get() {
  static FuzzWorld* world = new FuzzWorld();
  return *world;
}

FuzzWorld::FuzzWorld() : impl_(new Impl()) {
  // Handlers log every refusal; a fuzzer sends millions.
  spdlog::set_level(spdlog::level::off);
  auto& world = impl_->world;
  world_folder = world.dir.path();
  std::atexit(RemoveWorldFolder);
  http::AddAllRoutes(impl_->router, world.Services());
  auto key = world.keys.Create("acme", {"fuzz", app::Scopes::Of({app::Scope::kAdmin}), {}});
  if (!key || key->secret != kFuzzKey) throw std::runtime_error("fuzz world: unexpected key");
  auto actor = world.keys.Authenticate(key->secret);
  if (!actor) throw std::runtime_error("fuzz world: key does not authenticate");
  // Orders to address: 1001 (released, can be completed), 1002 (pending).
  for (const auto& [number, status] : {std::pair{"1001", domain::ShipmentStatus::kReleased},
                                       std::pair{"1002", domain::ShipmentStatus::kPending}}) {
    if (!world.orders.Create(*actor, test::SampleOrder(number, status))) {
      throw std::runtime_error("fuzz world: cannot create an order");
    }
  }
}

const http::Router& FuzzWorld::router() const { return impl_->router; }

http::Response FuzzWorld::Call(std::string_view method, std::string_view target, std::string body,
                               std::vector<std::pair<std::string, std::string>> headers) {
  http::Request request;
  request.method = std::string(method);
  request.body = std::move(body);
  request.request_id = "fuzz";
  request.headers = std::move(headers);
  if (!request.Header("authorization")) {
    request.headers.emplace_back("authorization", "Bearer " + std::string(kFuzzKey));
  }
  http::Response response;
  if (!http::ParseTarget(target, request)) {
    response.status = 400;
    return response;
  }
  response = impl_->router.Handle(request);
  CheckResponse(response);
  return response;
}

}  // namespace shipline::fuzz

namespace shipline::fuzz {

void RunContractInput(const uint8_t* data, size_t size, const std::vector<RouteCase>& cases) {
  if (size == 0 || cases.empty()) return;
  const RouteCase& route = cases[data[0] % cases.size()];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string target = route.target;
  size_t line = rest.find('\n');
  if (line != std::string_view::npos) {
    if (line > 0) {
      target += target.find('?') == std::string::npos ? "?" : "&";
      target += rest.substr(0, line);
    }
    rest.remove_prefix(line + 1);
  }
  FuzzWorld::Get().Call(route.method, target, std::string(rest),
                        {{"content-type", route.content_type}});
}

}  // namespace shipline::fuzz
