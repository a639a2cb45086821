// CHALK_EVENT_DISPATCHER=epoll: the test program runs on the server's epoll event dispatcher
// instead of Qt's. Compiled into every program that links chalk_test_support (an INTERFACE
// source), because it must act before main() constructs the QCoreApplication (QTEST_*_MAIN).
#include <QtGlobal>

#ifdef Q_OS_LINUX
#include "server/epoll_event_dispatcher.h"

#include <cstdio>
#include <cstdlib>

namespace {

[[maybe_unused]] const bool installed = [] {
    if (qEnvironmentVariable("CHALK_EVENT_DISPATCHER") != QLatin1String("epoll"))
        return false;
    if (!chalk::server::installEpollEventDispatcher()) {
        std::fprintf(stderr, "CHALK_EVENT_DISPATCHER=epoll: could not install it\n");
        std::abort(); // a variant that silently ran on Qt's dispatcher would prove nothing
    }
    return true;
}();

} // namespace
#endif
