// Beast and Asio compiled once for the whole program (separate compilation),
// so that no other translation unit pays for their implementation headers.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
