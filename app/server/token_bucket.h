// A token bucket: `rate` tokens per second refill up to `burst`; each call takes one.
// Used per connection for call rate limits (ServerOptions::messageRate, callRate).
#pragma once

#include <QtGlobal>
#include <algorithm>

namespace chalk::server {

class TokenBucket {
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, int burst)
        : m_rate(ratePerSecond)
        , m_burst(burst)
        , m_tokens(burst)
    {}

    // rate <= 0 or burst <= 0: no limit.
    bool enabled() const { return m_rate > 0 && m_burst > 0; }

    // Takes one token at `nowMs` (a monotonic clock); false when the bucket is empty.
    bool take(qint64 nowMs)
    {
        if (!enabled())
            return true;
        if (m_lastMs >= 0)
            m_tokens = std::min<double>(m_burst, m_tokens + (nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = nowMs;
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

private:
    double m_rate = 0;
    int m_burst = 0;
    double m_tokens = 0;
    qint64 m_lastMs = -1;
};

} // namespace chalk::server
