// A ClientClock (client/client_clock.h) that stands still until the test moves it: the
// client's heartbeat, its answer deadline, the connect time-out and the reconnect backoff fall
// due exactly when the test says, however slow or busy the machine is. Pass it through
// ClientOptions::clock; the test then waits for events (a pong, a state) and moves the clock.
#pragma once

#include "client/client_clock.h"

#include <QtGlobal>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace chalk::test {

class ManualClock final : public client::ClientClock {
public:
    ~ManualClock() override;

    std::unique_ptr<client::ClientTimer> createTimer(bool singleShot,
                                                     std::function<void()> onTimeout) override;

    // Milliseconds since the clock was made (only advance() moves it).
    qint64 nowMs() const { return m_nowMs; }
    // Moves time forward by `by`, firing every timer that falls due on the way, earliest
    // first (a repeating one as often as it falls due), each at its own time; a timer started
    // by one that fires counts from then. Runs the callbacks directly: no event loop turn.
    void advance(std::chrono::milliseconds by);
    // Running timers (for a test's message when something waits that should not).
    int activeTimers() const;

private:
    class Timer;
    friend class Timer;
    qint64 m_nowMs = 0;
    qint64 m_started = 0; // start order: ties go to the timer started first
    std::vector<Timer *> m_timers;
};

} // namespace chalk::test
