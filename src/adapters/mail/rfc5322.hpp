#pragma once

// Turns a MailMessage into the bytes of an Internet message (RFC 5322 with the
// MIME headers of RFC 2045), the form both the SMTP and the file transport
// hand on.

#include <cstdint>
#include <string>
#include <string_view>

#include "app/mailer.hpp"

namespace shipline::adapters {

// Renders the message with CRLF line endings: Date, From, To, Subject,
// Message-ID, MIME-Version, Content-Type and Content-Transfer-Encoding, a blank
// line, then the body. Header values lose every control character, so no input
// can add a header or end the header section. Display names and subjects that
// are not plain ASCII become RFC 2047 encoded-words (UTF-8, base64). The body
// keeps its lines as they are (a leading "." is not doubled: that is the SMTP
// transport's job); it is sent as 8bit, or as quoted-printable when a line is
// longer than the 998 octets RFC 5322 allows or the text holds a NUL byte.
// Pure function; thread-safe.
std::string RenderMessage(const app::MailMessage& message);

// The RFC 5322 date of epoch milliseconds in UTC, e.g.
// "Thu, 01 Jan 1970 00:00:00 +0000".
std::string FormatRfc5322Date(int64_t epoch_millis);

// The bare address of a mailbox, "Shop <shop@example.com>" or
// "shop@example.com" giving "shop@example.com", without the characters that
// could end an SMTP command or split a header (controls, spaces, angle
// brackets, commas, semicolons, quotes, parentheses, backslashes). Empty when
// nothing usable is left, or when more than 254 octets are (RFC 5321's limit).
std::string MailboxAddress(std::string_view mailbox);

}  // namespace shipline::adapters
