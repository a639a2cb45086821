// One worker thread of the load generator: it owns a share of the clients (RawWsClient each)
// and runs them on its own event loop, so the generator uses both cores and is not the
// bottleneck. The coordinator (main thread) drives the phases through queued calls.
#pragma once

#include "load_config.h"
#include "raw_ws_client.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>
#include <vector>

namespace chalk::bench {

class Worker;

// One simulated user. Talks only the original statement protocol (no client_id).
class BenchClient : public QObject {
    Q_OBJECT
public:
    BenchClient(int index, Worker *worker);

    void open(const QUrl &url);
    void send(QByteArrayView utf8);

    const int index;
    RawWsClient socket;
    bool gotUser = false;
    bool gotRooms = false;
    bool ready = false;  // user_created and rooms_listed arrived
    bool failed = false; // could not connect, or dropped
    bool entering = false;
    bool entered = false;
    QString userUuid;

    // Sender state (index < senders).
    int sent = 0;
    int inflight = 0;
    qint64 nextDueNs = 0;
    QTimer *pacer = nullptr;

    // Receiver state: last sequence number seen from each sender, to count gaps in order.
    std::vector<int> lastSeq;

private:
    void onText(const QByteArray &utf8);
    Worker *m_worker;
};

struct FrameTally {
    qint64 frames = 0;
    qint64 chars = 0; // UTF-16 code units (counted from the UTF-8), = bytes for ASCII JSON
};

struct WorkerResult {
    std::vector<quint32> latencyUs;
    qint64 deliveries = 0;
    qint64 foreign = 0;    // message_created whose body is not ours
    qint64 outOfOrder = 0; // a sender's sequence number not above the last one seen
    qint64 errors = 0;
    qint64 rejected = 0; // create_message answered with an error: never delivered
    qint64 connectFailures = 0;
    qint64 disconnects = 0;
    QHash<QString, int> errorKinds;
    QHash<QString, FrameTally> received; // every frame but our own message_created
    qint64 lastDeliveryNs = 0;           // system clock
    qint64 pings = 0;
    qint64 pongs = 0;
    // board mode
    std::vector<double> joinMs;
    std::vector<double> enteredMs;
    qint64 drawingBytes = 0;
    qint64 linesReceived = 0;
    qint64 strokesAcked = 0;
    double drawSeconds = 0;
};

class Worker : public QObject {
    Q_OBJECT
public:
    Worker(int id, const LoadConfig &config, SharedCounters *counters);
    ~Worker() override;

    // Each step runs in the worker thread and calls `done` there when finished; the
    // coordinator passes a `done` that hops back to its own thread.
    void connectClients(std::vector<int> indexes, std::function<void(int ok, int failed)> done);
    void startPings(); // every client pings every config.pingIntervalS, spread evenly
    void createRoom(std::function<void(QString uuid)> done);
    void enterRoom(QString uuid, std::function<void(int ok, int failed)> done);
    void startSending(qint64 startNs);
    void runBoard(QString uuid, std::function<void()> done);
    void shutdown();

    WorkerResult result; // read by the coordinator once the thread has finished

    // From BenchClient, in this thread.
    void clientReady(BenchClient *c);
    void clientFailed(BenchClient *c, const QString &why);
    void delivery(BenchClient *c, int sender, int seq, qint64 sentNs);
    void frame(BenchClient *c, const QString &type, const QString &name, const QJsonObject &payload,
               qsizetype chars);

private:
    void openMore();
    void checkConnected();
    void checkEntered();
    void pump(BenchClient *c);
    void sendMessage(BenchClient *c);
    void drawMore();
    void nextJoin();
    void error(const QString &kind);

    const int m_id;
    const LoadConfig m_config;
    SharedCounters *m_counters;
    std::vector<BenchClient *> m_clients;
    std::vector<BenchClient *> m_senders;
    qsizetype m_nextToOpen = 0;
    int m_connecting = 0;
    std::function<void(int, int)> m_connectDone;
    std::function<void(QString)> m_roomDone;
    std::function<void(int, int)> m_enterDone;
    std::function<void()> m_boardDone;
    bool m_waitingRoom = false;
    qint64 m_startNs = 0;
    QByteArray m_padding;
    QTimer *m_pinger = nullptr;
    size_t m_nextPing = 0;
    // board
    QString m_boardRoom;
    int m_strokesSent = 0;
    int m_strokesInflight = 0;
    qint64 m_drawStartNs = 0;
    int m_joiner = 0;
    qint64 m_joinStartNs = 0;
};

qint64 wallNs();   // system clock, ns since the epoch (the timestamp in message bodies)
qint64 steadyNs(); // monotonic

} // namespace chalk::bench
