#pragma once

// UTF-8 as text enters and leaves: every text a client sends is checked to be
// well-formed UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing
// above U+10FFFF) before it is stored, and XML answers carry only the
// characters XML 1.0 allows.

#include <string>
#include <string_view>

namespace shipline::domain {

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// Appends `text` for XML 1.0 character data: each character XML does not
// allow (controls but tab and line breaks, U+FFFE, U+FFFF, and ill-formed
// bytes) becomes U+FFFD; "&", "<", ">", and quotes are escaped.
void AppendXmlText(std::string& out, std::string_view text);

}  // namespace shipline::domain
