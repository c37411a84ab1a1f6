// Beast compiled once for the whole program (separate compilation), so that no
// other translation unit pays for its implementation headers. Asio's own
// implementation is compiled in shipline_asio (src/asio/asio_src.cpp).
#include <boost/beast/src.hpp>
