#include "main/shipping_services.hpp"

namespace shipline::main {

ShippingServices::ShippingServices(const ShippingConfig& config, app::Store& store,
                                   app::Clock& clock, app::IdSource& ids)
    : config_(config),
      factory_(config.demo, config.allow_private_targets),
      orders_(store, factory_, geocoder_, clock, ids),
      network_(store, factory_, clock),
      limiter_(http::RateLimit{config.rate, config.burst}, clock),
      progress_(orders_, config.progress_interval) {}

void ShippingServices::AddTo(http::Services& services) {
  services.shipping_orders = &orders_;
  services.delivery_network = &network_;
  services.shipping_orders_limiter = &limiter_;
}

void ShippingServices::Start() {
  if (config_.demo) progress_.Start();
}

void ShippingServices::Stop() { progress_.Stop(); }

}  // namespace shipline::main
