// RateLimitedLog (rate_limited_log.h): one line per kind per interval, then a count.
#include "rate_limited_log.h"

#include "logging.h"

#include <QTimer>

namespace chalk::server {

RateLimitedLog::RateLimitedLog(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
{
    m_clock.start();
}

void RateLimitedLog::warn(const QString &kind, const QString &line)
{
    note(kind, line, true);
}

void RateLimitedLog::info(const QString &kind, const QString &line)
{
    note(kind, line, false);
}

void RateLimitedLog::write(bool warning, const QString &text)
{
    if (warning)
        qCWarning(lcServer).noquote() << text;
    else
        qCInfo(lcServer).noquote() << text;
}

void RateLimitedLog::note(const QString &kind, const QString &line, bool warning)
{
    const qint64 now = m_clock.elapsed();
    Kind &k = m_kinds[kind];
    if (k.lastWrittenMs < 0 || now - k.lastWrittenMs >= m_intervalMs) {
        if (k.suppressed > 0)
            flush(kind); // the timer has not run yet (a busy loop): the count goes first
        k.lastWrittenMs = now;
        write(warning, line);
        return;
    }
    k.lastLine = line;
    k.warning = warning;
    if (k.suppressed++ == 0) {
        const int wait = int(std::max<qint64>(1, k.lastWrittenMs + m_intervalMs - now));
        QTimer::singleShot(wait, this, [this, kind] { flush(kind); });
    }
}

void RateLimitedLog::flush(const QString &kind)
{
    const auto it = m_kinds.find(kind);
    if (it == m_kinds.end() || it->suppressed == 0)
        return;
    write(it->warning, QStringLiteral("%1 (and %2 more %3 in the last %4 ms)")
                           .arg(it->lastLine)
                           .arg(it->suppressed - 1)
                           .arg(kind)
                           .arg(m_intervalMs));
    it->suppressed = 0;
    it->lastWrittenMs = m_clock.elapsed();
}

} // namespace chalk::server
