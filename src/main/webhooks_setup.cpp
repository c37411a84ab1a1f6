#include "main/webhooks_setup.hpp"

#include "adapters/webhooks/curl_webhook_transport.hpp"
#include "app/log.hpp"
#include "app/threepl/shipment_notifications.hpp"
#include "app/threepl/threepl_connections.hpp"
#include "app/webhooks/delivery_body.hpp"
#include "app/webhooks/retry_policy.hpp"
#include "app/webhooks/webhook_deliveries.hpp"
#include "app/webhooks/webhook_subscriptions.hpp"
#include "http/threepl/shipment_notification_json.hpp"
#include "workers/webhook_worker.hpp"

namespace shipline::main {

struct WebhookServices::Parts {
  std::unique_ptr<http::threepl::ShipmentNotificationJson> formatter;
  std::unique_ptr<app::webhooks::DeliveryBodies> bodies;
  std::unique_ptr<adapters::webhooks::CurlWebhookTransport> transport;
  std::unique_ptr<app::webhooks::WebhookSubscriptions> subscriptions;
  std::unique_ptr<app::webhooks::WebhookDeliveries> deliveries;
  std::unique_ptr<app::threepl::ThreePlConnections> connections;
  std::unique_ptr<app::threepl::ShipmentNotifications> notifications;
  std::unique_ptr<workers::WebhookWorker> worker;
};

WebhookServices::WebhookServices(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

WebhookServices::~WebhookServices() { Stop(); }

Result<std::unique_ptr<WebhookServices>> WebhookServices::Create(
    const WebhookConfig& config, app::Store& store, app::Clock& clock, app::IdSource& ids,
    app::EventSignal& signal, app::CompleteShipment& complete) {
  app::webhooks::RetryPolicy policy = app::webhooks::RetryPolicy::Default();
  if (!config.retry_schedule.empty()) {
    auto schedule = app::webhooks::ParseDurationList(config.retry_schedule);
    if (!schedule) {
      return Error::Invalid("--webhook-retry-schedule: " + schedule.error().message);
    }
    policy.schedule_ms = std::move(*schedule);
  }
  if (!(config.time_scale >= 1)) {
    return Error::Invalid("the webhook time scale must be 1 or more");
  }
  policy = policy.Scaled(config.time_scale);

  auto parts = std::make_unique<Parts>();
  parts->formatter =
      std::make_unique<http::threepl::ShipmentNotificationJson>(domain::CarrierRegistry::BuiltIn());
  parts->bodies = std::make_unique<app::webhooks::DeliveryBodies>(parts->formatter.get());
  adapters::webhooks::CurlWebhookTransport::Options transport_options;
  transport_options.allow_private = config.allow_private;
  transport_options.max_connections = std::max<size_t>(1, config.concurrency);
  parts->transport = std::make_unique<adapters::webhooks::CurlWebhookTransport>(transport_options);
  app::webhooks::WebhookSubscriptions::Options subscription_options;
  subscription_options.allow_private = config.allow_private;
  parts->subscriptions = std::make_unique<app::webhooks::WebhookSubscriptions>(
      store, clock, ids, subscription_options);
  parts->deliveries = std::make_unique<app::webhooks::WebhookDeliveries>(store, clock, ids);
  parts->connections = std::make_unique<app::threepl::ThreePlConnections>(store, clock, ids);
  parts->notifications =
      std::make_unique<app::threepl::ShipmentNotifications>(store, complete, clock, config.metrics);
  workers::WebhookWorker::Options worker_options;
  worker_options.max_in_flight = std::max<size_t>(1, config.concurrency);
  worker_options.max_in_flight_per_subscription =
      std::max<size_t>(1, worker_options.max_in_flight / 2);
  worker_options.policy = policy;
  worker_options.lease_ms = config.lease_ms;
  worker_options.metrics = config.metrics;
  parts->worker = std::make_unique<workers::WebhookWorker>(store, *parts->transport, *parts->bodies,
                                                           clock, signal, worker_options);
  if (config.time_scale != 1 || !config.retry_schedule.empty()) {
    app::LogWarn("webhook retry schedule changed",
                 app::LogFields()
                     .Add("time_scale", config.time_scale)
                     .Add("attempts", policy.MaxAttempts())
                     .Add("disable_after_ms", policy.disable_after_ms));
  }
  return std::unique_ptr<WebhookServices>(new WebhookServices(std::move(parts)));
}

void WebhookServices::AddTo(http::Services& services) {
  services.webhook_subscriptions = parts_->subscriptions.get();
  services.webhook_deliveries = parts_->deliveries.get();
  services.threepl_connections = parts_->connections.get();
  services.threepl_notifications = parts_->notifications.get();
}

void WebhookServices::Start() { parts_->worker->Start(); }

void WebhookServices::Stop() {
  if (parts_ && parts_->worker) parts_->worker->Stop();
}

}  // namespace shipline::main
