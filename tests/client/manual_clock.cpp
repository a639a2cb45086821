// ManualClock (manual_clock.h): timers are due times on the clock's own millisecond count.
#include "manual_clock.h"

#include <QtGlobal>
#include <algorithm>

namespace chalk::test {

class ManualClock::Timer final : public client::ClientTimer {
public:
    Timer(ManualClock *clock, bool singleShot, std::function<void()> onTimeout)
        : m_clock(clock)
        , m_singleShot(singleShot)
        , m_onTimeout(std::move(onTimeout))
    {
        m_clock->m_timers.push_back(this);
    }
    ~Timer() override
    {
        if (m_clock)
            std::erase(m_clock->m_timers, this);
    }
    void setInterval(std::chrono::milliseconds interval) override
    {
        m_interval = interval.count();
        if (m_active)
            start(); // as QTimer: a running timer starts over
    }
    void start() override
    {
        m_active = true;
        m_due = m_clock->m_nowMs + m_interval;
        m_order = ++m_clock->m_started;
    }
    void stop() override { m_active = false; }
    bool isActive() const override { return m_active; }
    std::chrono::milliseconds remaining() const override
    {
        return std::chrono::milliseconds(m_active ? std::max<qint64>(0, m_due - m_clock->m_nowMs)
                                                  : 0);
    }

    ManualClock *m_clock;
    bool m_singleShot;
    std::function<void()> m_onTimeout;
    qint64 m_interval = 0;
    qint64 m_due = 0;
    qint64 m_order = 0;
    bool m_active = false;
};

ManualClock::~ManualClock()
{
    // Timers that outlive the clock (a client destroyed after it) must not reach back.
    for (Timer *t : m_timers)
        t->m_clock = nullptr;
}

std::unique_ptr<client::ClientTimer> ManualClock::createTimer(bool singleShot,
                                                              std::function<void()> onTimeout)
{
    return std::make_unique<Timer>(this, singleShot, std::move(onTimeout));
}

void ManualClock::advance(std::chrono::milliseconds by)
{
    const qint64 until = m_nowMs + by.count();
    for (;;) {
        // The next timer due within the step; looked up again after every callback, which may
        // start, stop or destroy timers.
        Timer *next = nullptr;
        for (Timer *t : m_timers) {
            if (t->m_active && t->m_due <= until &&
                (!next || t->m_due < next->m_due ||
                 (t->m_due == next->m_due && t->m_order < next->m_order)))
                next = t;
        }
        if (!next)
            break;
        m_nowMs = std::max(m_nowMs, next->m_due);
        if (next->m_singleShot) {
            next->m_active = false;
        } else {
            next->m_due = m_nowMs + std::max<qint64>(1, next->m_interval);
            next->m_order = ++m_started;
        }
        const std::function<void()> onTimeout = next->m_onTimeout; // the timer may go
        onTimeout();
    }
    m_nowMs = until;
}

int ManualClock::activeTimers() const
{
    return int(std::count_if(m_timers.begin(), m_timers.end(),
                             [](const Timer *t) { return t->m_active; }));
}

} // namespace chalk::test
