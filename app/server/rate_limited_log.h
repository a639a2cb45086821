// Log lines a peer can cause, at most one per kind per interval: the first is written at once,
// the rest of the interval are counted and written as one line with the count when it ends.
// A flood of dropped handshakes or refused connections then costs a few lines a second, not
// megabytes (issue 14: 2 MB in 35 s). Not for lines only the operator causes.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>

namespace chalk::server {

class RateLimitedLog : public QObject {
    Q_OBJECT
public:
    explicit RateLimitedLog(int intervalMs = 1000, QObject *parent = nullptr);

    // `kind` groups the lines counted together ("handshake timeout"); `line` is the text of
    // this one (the last of an interval is the one written with the count).
    void warn(const QString &kind, const QString &line);
    void info(const QString &kind, const QString &line);

private:
    struct Kind {
        qint64 lastWrittenMs = -1;
        int suppressed = 0;
        QString lastLine;
        bool warning = false;
    };
    void note(const QString &kind, const QString &line, bool warning);
    void flush(const QString &kind);
    static void write(bool warning, const QString &text);

    int m_intervalMs;
    QElapsedTimer m_clock;
    QHash<QString, Kind> m_kinds;
};

} // namespace chalk::server
