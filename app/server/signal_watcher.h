// Turns SIGINT/SIGTERM into a Qt signal: the handler only writes a byte to a pipe (all a
// signal handler may safely do); a QSocketNotifier reads it on the event loop.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace chalk::server {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    bool isValid() const { return m_notifier != nullptr; }

signals:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace chalk::server
