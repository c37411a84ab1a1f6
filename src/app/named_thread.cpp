#include "app/named_thread.hpp"

#include <pthread.h>

namespace shipline::app {

void NameThisThread(const std::string& name) {
  // A name is a diagnostic: one the kernel refuses leaves the thread as it was.
  (void)pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace shipline::app
