// Which receivers a webhook may reach (server-side request forgery guard).

#include "app/outbound_address_policy.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>

namespace shipline {
namespace {

using app::CheckOutboundUrl;
using app::RefusedAddressReason;
using app::RefusedHostReason;

std::string ReasonOf(const char* text) {
  sockaddr_storage storage{};
  if (std::strchr(text, ':') != nullptr) {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text, &v6.sin6_addr), 1) << text;
    std::memcpy(&storage, &v6, sizeof v6);
  } else {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text, &v4.sin_addr), 1) << text;
    std::memcpy(&storage, &v4, sizeof v4);
  }
  return std::string(RefusedAddressReason(reinterpret_cast<const sockaddr*>(&storage)));
}

TEST(OutboundAddressPolicy, RefusesInnerIpv4Ranges) {
  EXPECT_EQ(ReasonOf("127.0.0.1"), "loopback");
  EXPECT_EQ(ReasonOf("127.255.1.2"), "loopback");
  EXPECT_EQ(ReasonOf("10.1.2.3"), "private");
  EXPECT_EQ(ReasonOf("172.16.0.1"), "private");
  EXPECT_EQ(ReasonOf("172.31.255.255"), "private");
  EXPECT_EQ(ReasonOf("192.168.1.1"), "private");
  EXPECT_EQ(ReasonOf("169.254.169.254"), "link-local");
  EXPECT_EQ(ReasonOf("100.64.0.1"), "shared address space (CGNAT)");
  EXPECT_EQ(ReasonOf("100.127.255.254"), "shared address space (CGNAT)");
  EXPECT_EQ(ReasonOf("224.0.0.1"), "multicast");
  EXPECT_EQ(ReasonOf("239.255.255.250"), "multicast");
  EXPECT_EQ(ReasonOf("0.0.0.0"), "unspecified");
  EXPECT_EQ(ReasonOf("255.255.255.255"), "reserved");
}

TEST(OutboundAddressPolicy, AllowsPublicIpv4) {
  EXPECT_EQ(ReasonOf("8.8.8.8"), "");
  EXPECT_EQ(ReasonOf("172.32.0.1"), "");
  EXPECT_EQ(ReasonOf("100.128.0.1"), "");
  EXPECT_EQ(ReasonOf("93.184.216.34"), "");
}

TEST(OutboundAddressPolicy, RefusesInnerIpv6AndIpv4InsideIpv6) {
  EXPECT_EQ(ReasonOf("::1"), "loopback");
  EXPECT_EQ(ReasonOf("::"), "unspecified");
  EXPECT_EQ(ReasonOf("fe80::1"), "link-local");
  EXPECT_EQ(ReasonOf("fd00::1"), "private");
  EXPECT_EQ(ReasonOf("fc00::1"), "private");
  EXPECT_EQ(ReasonOf("ff02::1"), "multicast");
  EXPECT_EQ(ReasonOf("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(ReasonOf("::ffff:10.0.0.1"), "private");
  EXPECT_EQ(ReasonOf("::ffff:169.254.169.254"), "link-local");
  EXPECT_EQ(ReasonOf("::127.0.0.1"), "loopback");
  EXPECT_EQ(ReasonOf("64:ff9b::a9fe:a9fe"), "link-local");  // NAT64 of 169.254.169.254
  EXPECT_EQ(ReasonOf("2002:7f00:1::"), "loopback");         // 6to4 of 127.0.0.1
  EXPECT_EQ(ReasonOf("2606:4700:4700::1111"), "");
  EXPECT_EQ(ReasonOf("::ffff:8.8.8.8"), "");
}

TEST(OutboundAddressPolicy, JudgesHostsWrittenAsAddressesInEveryForm) {
  EXPECT_EQ(RefusedHostReason("127.0.0.1"), "loopback");
  EXPECT_EQ(RefusedHostReason("127.1"), "loopback");
  EXPECT_EQ(RefusedHostReason("0x7f.1"), "loopback");
  EXPECT_EQ(RefusedHostReason("2130706433"), "loopback");
  EXPECT_EQ(RefusedHostReason("[::1]"), "loopback");
  EXPECT_EQ(RefusedHostReason("[::ffff:7f00:1]"), "loopback");
  EXPECT_EQ(RefusedHostReason("[fe80::1%25eth0]"), "link-local");
  EXPECT_EQ(RefusedHostReason("example.com"), "");
  EXPECT_EQ(RefusedHostReason("8.8.8.8"), "");
}

TEST(OutboundAddressPolicy, ChecksReceiverUrls) {
  EXPECT_TRUE(CheckOutboundUrl("https://example.com/hooks?x=1", false).ok());
  EXPECT_TRUE(CheckOutboundUrl("http://example.com:8080", false).ok());
  EXPECT_TRUE(CheckOutboundUrl("HTTPS://Example.COM/a", false).ok());
  EXPECT_TRUE(CheckOutboundUrl("http://[2606:4700::1]:443/", false).ok());
  for (const char* bad :
       {"", "ftp://example.com", "example.com/hook", "http://", "http://user:pw@example.com/",
        "http://exa mple.com", "http://example.com:0/", "http://example.com:99999/",
        "http://example.com:/", "http://[::1/", "http://ex$ample.com"}) {
    Status status = CheckOutboundUrl(bad, false);
    EXPECT_FALSE(status.ok()) << bad;
    if (!status.ok()) {
      EXPECT_EQ(status.error().field, "url") << bad;
    }
  }
}

TEST(OutboundAddressPolicy, RefusesInnerAddressesInUrlsUnlessAllowed) {
  for (const char* inner :
       {"http://127.0.0.1:8080/hook", "http://10.0.0.5/", "http://169.254.169.254/latest",
        "http://[::1]:9000/", "http://[::ffff:127.0.0.1]/", "http://100.64.1.1/",
        "http://localhost:3000/", "http://api.localhost/", "http://0/"}) {
    EXPECT_FALSE(CheckOutboundUrl(inner, false).ok()) << inner;
    EXPECT_TRUE(CheckOutboundUrl(inner, true).ok()) << inner;
  }
}

}  // namespace
}  // namespace shipline
