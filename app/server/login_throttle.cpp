#include "login_throttle.h"

#include <algorithm>

namespace chalk::server {

LoginThrottle::LoginThrottle(LoginThrottleOptions options, std::function<qint64()> clockMs)
    : m_options(options)
    , m_clockMs(std::move(clockMs))
{
    m_clock.start();
}

qint64 LoginThrottle::waitMs(const FailureCount &connection, const QString &account) const
{
    const qint64 t = now();
    const qint64 until = std::max(connection.notBeforeMs, m_accounts.value(account).notBeforeMs);
    return std::max<qint64>(0, until - t);
}

void LoginThrottle::count(FailureCount &c, qint64 t) const
{
    ++c.failures;
    c.lastMs = t;
    const int over = c.failures - m_options.freeFailures;
    if (over <= 0)
        return;
    // delayMs * 2^(over - 1), without overflowing the shift.
    const qint64 delay =
        over > 20 ? m_options.maxDelayMs
                  : std::min<qint64>(qint64(m_options.delayMs) << (over - 1), m_options.maxDelayMs);
    c.notBeforeMs = t + delay;
}

bool LoginThrottle::fail(FailureCount &connection, const QString &account)
{
    const qint64 t = now();
    count(connection, t);
    if (!m_accounts.contains(account) && m_accounts.size() >= m_options.trackedAccounts)
        forgetOldest();
    count(m_accounts[account], t);
    return isCutOff(connection);
}

bool LoginThrottle::refuse(FailureCount &connection)
{
    ++connection.failures;
    return isCutOff(connection);
}

bool LoginThrottle::isCutOff(const FailureCount &connection) const
{
    return m_options.cutOffFailures > 0 && connection.failures >= m_options.cutOffFailures;
}

void LoginThrottle::succeed(FailureCount &connection, const QString &account)
{
    connection = {};
    m_accounts.remove(account);
}

void LoginThrottle::forgetOldest()
{
    // Rare (a flood over many names): a linear pass is fine at this size.
    auto oldest = m_accounts.begin();
    for (auto it = m_accounts.begin(); it != m_accounts.end(); ++it)
        if (it->lastMs < oldest->lastMs)
            oldest = it;
    if (oldest != m_accounts.end())
        m_accounts.erase(oldest);
}

} // namespace chalk::server
