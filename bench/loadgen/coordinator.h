// Drives one loadgen run from the main thread: connect, create/enter the room, send (or
// idle, or draw and late-join), then collect every worker's figures and print one JSON line.
#pragma once

#include "load_config.h"
#include "proc_stats.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>
#include <vector>

class QThread;

namespace chalk::bench {

class LoginDriver;
class Worker;

class Coordinator : public QObject {
    Q_OBJECT
public:
    explicit Coordinator(LoadConfig config);
    ~Coordinator() override;

    void start();

private:
    // Runs `step` on every worker; `done` once all of them called back with (ok, failed).
    void onWorkers(const std::function<void(Worker *, std::function<void(int, int)>)> &step,
                   std::function<void(int ok, int failed)> done);
    void inWorker(QObject *w, std::function<void()> f);
    void connectClients();
    void connected(int ok, int failed);
    void haveRoom(const QString &uuid);
    void entered(int ok, int failed);
    void startSending();
    void poll();
    void startIdle();
    void finish(bool timedOut);
    void stopWorkers();

    LoadConfig m_config;
    SharedCounters m_counters;
    std::vector<QThread *> m_threads;
    std::vector<Worker *> m_workers;
    // --logins > 0: the login driver on a thread of its own (login_driver.h)
    QThread *m_loginThread = nullptr;
    LoginDriver *m_logins = nullptr;
    QElapsedTimer m_clock;
    QTimer m_timeout;
    QTimer m_poller;
    QString m_phase = QStringLiteral("connect");
    QString m_room;
    int m_connected = 0;
    int m_entered = 0;
    double m_connectS = 0;
    double m_enterS = 0;
    qint64 m_sendStartWallNs = 0;
    qint64 m_sendStartSteadyNs = 0;
    qint64 m_sendsDoneSteadyNs = 0;
    ProcSample m_serverBase; // before any client connected
    ProcSample m_serverFrom;
    ProcSample m_selfFrom;
    qint64 m_serverRssPeak = 0;
    bool m_finished = false;
    int m_threadCount = 0;
};

} // namespace chalk::bench
