// The time behind the client's timers: the Connection's heartbeat, its answer deadline, the
// connect time-out and the reconnect backoff, and ChatClient's outbox retry and resume grace.
// By default Qt's timers (real time, QTimer as before). Tests pass a clock they move by hand
// through ClientOptions::clock (tests/client/manual_clock.h), so a heartbeat time-out falls due
// when the test says, not when a loaded machine gets round to it. Not a global: each
// Connection and ChatClient uses the clock of its own options.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace chalk::client {

// One timer, as much of QTimer as the client uses.
class ClientTimer {
public:
    virtual ~ClientTimer() = default;
    // As QTimer::setInterval: a running timer starts over with the new interval.
    virtual void setInterval(std::chrono::milliseconds interval) = 0;
    // (Re)starts with the interval set.
    virtual void start() = 0;
    void start(std::chrono::milliseconds interval)
    {
        setInterval(interval);
        start();
    }
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
    // Time left before it fires; zero when stopped (what a countdown shows, so the text and
    // the timer always agree on the clock).
    virtual std::chrono::milliseconds remaining() const = 0;
};

class ClientClock {
public:
    virtual ~ClientClock() = default;
    // A stopped timer that calls `onTimeout` when it expires: once, or every interval until
    // stopped. The timer belongs to the caller; the clock must outlive it.
    virtual std::unique_ptr<ClientTimer> createTimer(bool singleShot,
                                                     std::function<void()> onTimeout) = 0;
};

// Qt's timers in real time (QTimer, coarse as its default): what the client runs on.
std::shared_ptr<ClientClock> qtClientClock();

} // namespace chalk::client
