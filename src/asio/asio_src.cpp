// Asio compiled once for the whole program (BOOST_ASIO_SEPARATE_COMPILATION),
// so that its users (the HTTP server, the broker client) include only its
// declarations. Every target that includes Asio links shipline_asio, which
// carries the compile definitions that must agree across them.
#include <boost/asio/impl/src.hpp>
