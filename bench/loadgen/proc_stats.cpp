#include "proc_stats.h"

#include <QFile>
#include <QList>
#include <chrono>
#include <unistd.h>

namespace chalk::bench {

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

qint64 statusKiB(const QByteArray &status, const char *key)
{
    const qsizetype at = status.indexOf(key);
    if (at < 0)
        return 0;
    const qsizetype end = status.indexOf('\n', at);
    QByteArray value = status.mid(at + qsizetype(qstrlen(key)), end - at - qsizetype(qstrlen(key)));
    value = value.trimmed();
    if (value.endsWith("kB"))
        value.chop(2);
    return value.trimmed().toLongLong();
}

} // namespace

ProcSample sampleProcess(qint64 pid)
{
    ProcSample s;
    const QString base =
        pid == 0 ? QStringLiteral("/proc/self") : QStringLiteral("/proc/%1").arg(pid);
    s.wallNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
                   .count();
    const QByteArray stat = readAll(base + QStringLiteral("/stat"));
    // The command name (field 2) may hold spaces: fields are counted after its ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return s;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15, num_threads field 20.
    if (fields.size() < 18)
        return s;
    const double tick = double(sysconf(_SC_CLK_TCK));
    s.cpuSeconds = (fields[11].toDouble() + fields[12].toDouble()) / tick;
    s.threads = fields[17].toInt();
    const QByteArray status = readAll(base + QStringLiteral("/status"));
    s.rssKiB = statusKiB(status, "VmRSS:");
    s.hwmKiB = statusKiB(status, "VmHWM:");
    s.ok = true;
    return s;
}

double cpuPercent(const ProcSample &from, const ProcSample &to)
{
    if (!from.ok || !to.ok || to.wallNs <= from.wallNs)
        return 0;
    return 100.0 * (to.cpuSeconds - from.cpuSeconds) / (double(to.wallNs - from.wallNs) / 1e9);
}

} // namespace chalk::bench
