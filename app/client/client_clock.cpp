// qtClientClock() (client_clock.h): each ClientTimer is a QTimer.
#include "client_clock.h"

#include <QTimer>
#include <algorithm>

namespace chalk::client {

namespace {

class QtClientTimer final : public ClientTimer {
public:
    QtClientTimer(bool singleShot, std::function<void()> onTimeout)
    {
        m_timer.setSingleShot(singleShot);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, std::move(onTimeout));
    }
    void setInterval(std::chrono::milliseconds interval) override { m_timer.setInterval(interval); }
    void start() override { m_timer.start(); }
    void stop() override { m_timer.stop(); }
    bool isActive() const override { return m_timer.isActive(); }
    std::chrono::milliseconds remaining() const override
    {
        return std::chrono::milliseconds(std::max(0, m_timer.remainingTime()));
    }

private:
    QTimer m_timer;
};

class QtClientClock final : public ClientClock {
public:
    std::unique_ptr<ClientTimer> createTimer(bool singleShot,
                                             std::function<void()> onTimeout) override
    {
        return std::make_unique<QtClientTimer>(singleShot, std::move(onTimeout));
    }
};

} // namespace

std::shared_ptr<ClientClock> qtClientClock()
{
    static const auto clock = std::make_shared<QtClientClock>();
    return clock;
}

} // namespace chalk::client
