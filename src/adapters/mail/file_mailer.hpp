#pragma once

// The embedded default mail transport: each message becomes an .eml file in a
// folder, for a person or another program to pick up.

#include <filesystem>
#include <string>

#include "app/mailer.hpp"

namespace shipline::adapters {

// Writes each message, rendered by RenderMessage, to
// `<directory>/<message id>.eml`, where every character of the message id
// outside [A-Za-z0-9._-] becomes "_". The file appears whole or not at all (a
// hidden temporary file in the same folder, fsync, rename, fsync of the
// folder), so a crash never leaves half a message, and sending the same
// message id again replaces the file: a retried send is harmless. Files are
// created readable by the owner only (mode 0600), since mail holds customer
// data.
//
// Temporary files left by a process killed mid-write (older than a minute)
// are removed at construction.
//
// The folder is created when missing, at construction and again on each
// Send. Send fails with kUnavailable ("mail could not be written", the OS
// error in the detail) when the folder or file cannot be written, and with
// kInvalidArgument when the message id is empty.
//
// Thread-compatible; concurrent sends of different message ids are also safe.
class FileMailer final : public app::Mailer {
 public:
  explicit FileMailer(std::filesystem::path directory);

  std::string Transport() const override { return "file"; }
  bool RepeatsAreHarmless() const override { return true; }
  Status Send(const app::MailMessage& message) override;
  // Writes each file as Send does, then syncs the folder once for the batch.
  std::vector<Status> SendEach(const std::vector<app::MailMessage>& messages,
                               const std::function<bool()>& proceed) override;

  // Where a message with this id is written.
  std::filesystem::path PathFor(const std::string& message_id) const;

 private:
  // Removes temporaries older than a minute: what a killed process left.
  void RemoveAbandonedTemporaries();
  // Writes the message's file in place (fsync and rename), without the
  // folder sync that makes the rename durable.
  Status Write(const app::MailMessage& message);

  std::filesystem::path directory_;
};

}  // namespace shipline::adapters
