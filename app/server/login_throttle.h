// Failed password checks (login, change_password) slow the next try, per connection and per
// account, and a connection that keeps failing is cut off (close 1008). An account's count is
// kept by the name tried whether or not an account has it, so the answers never tell a
// known name from an unknown one. Not for call rates (ConnectionPolicy, token buckets).
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <functional>

namespace chalk::server {

struct LoginThrottleOptions {
    int freeFailures = 3;        // failures before the first wait
    int delayMs = 1000;          // the first wait; each further failure doubles it
    int maxDelayMs = 60000;      // ... up to this
    int cutOffFailures = 10;     // failures (and refused tries) of one connection: closed 1008
    int trackedAccounts = 10000; // accounts remembered at once; the oldest are forgotten
};

// One connection's or one account's failures.
struct FailureCount {
    int failures = 0;
    qint64 notBeforeMs = 0; // a try before this is refused
    qint64 lastMs = 0;
};

class LoginThrottle {
public:
    // `clockMs`: monotonic milliseconds (ServerOptions::clockMs); empty: a steady clock.
    LoginThrottle(LoginThrottleOptions options, std::function<qint64()> clockMs);

    // Milliseconds to wait before `connection` may try `account` again; 0: it may now.
    qint64 waitMs(const FailureCount &connection, const QString &account) const;
    // A failed try (or one refused for waiting). True: the connection has failed too often
    // and must be closed.
    bool fail(FailureCount &connection, const QString &account);
    // A try refused because it came too early: counts against the connection only (so a
    // flood from elsewhere cannot keep an account's owner out longer). True: close it.
    bool refuse(FailureCount &connection);
    // A right password: both counts start again.
    void succeed(FailureCount &connection, const QString &account);

private:
    qint64 now() const { return m_clockMs ? m_clockMs() : m_clock.elapsed(); }
    void count(FailureCount &c, qint64 now) const;
    bool isCutOff(const FailureCount &connection) const;
    void forgetOldest();

    LoginThrottleOptions m_options;
    std::function<qint64()> m_clockMs;
    QElapsedTimer m_clock;
    QHash<QString, FailureCount> m_accounts;
};

} // namespace chalk::server
