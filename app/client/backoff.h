// Reconnect delays: exponential from `min` to `max`, each with random jitter so that many
// clients of a restarted server do not all knock at the same instant.
#pragma once

#include <chrono>

namespace chalk::client {

class Backoff {
public:
    Backoff(std::chrono::milliseconds min = std::chrono::seconds(1),
            std::chrono::milliseconds max = std::chrono::seconds(30));

    // The delay before the next attempt; every call doubles the base (up to max).
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

private:
    std::chrono::milliseconds m_min;
    std::chrono::milliseconds m_max;
    int m_attempt = 0;
};

} // namespace chalk::client
