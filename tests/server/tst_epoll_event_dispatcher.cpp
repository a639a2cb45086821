// The server's epoll event dispatcher (app/server/epoll_event_dispatcher.*), installed for the
// main thread before QCoreApplication as chalkroom-server does: timers of every kind, socket
// notifiers on real descriptors (socketpairs, TCP, WebSockets over 127.0.0.1), wake-ups from
// other threads, nested event loops. No assertion on durations: "a timer does not fire
// before its interval" is checked against another timer due just before it.
#include "server/epoll_event_dispatcher.h"

#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>
#include <arpa/inet.h>
#include <atomic>
#include <functional>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using chalk::server::EpollEventDispatcher;

namespace {

// A QObject whose timer events go to a function (startTimer/killTimer without QTimer).
class TimerObject : public QObject {
public:
    std::function<void(int)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (onTimer)
            onTimer(event->timerId());
    }
};

// A connected pair of Unix stream sockets, closed on destruction.
struct SocketPair {
    int fd[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd); }
    ~SocketPair()
    {
        for (int f : fd) {
            if (f >= 0)
                ::close(f);
        }
    }
    void send(const char *text) const
    {
        QCOMPARE(::write(fd[1], text, qstrlen(text)), ssize_t(qstrlen(text)));
    }
};

void drain(int fd)
{
    char buffer[256];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
}

bool timerListed(const QList<QAbstractEventDispatcher::TimerInfo> &timers, int id, int interval,
                 Qt::TimerType type)
{
    for (const auto &t : timers) {
        if (t.timerId == id && t.interval == interval && t.timerType == type)
            return true;
    }
    return false;
}

} // namespace

class TestEpollEventDispatcher : public QObject {
    Q_OBJECT
private slots:
    void installedForTheMainThread();

    void repeatingTimerFiresAndStops();
    void timerKinds_data();
    void timerKinds();
    void timersFireInDeadlineOrder();
    void singleShots();
    void zeroTimerDoesNotStarveOtherWork();
    void timersKilledAndStartedInCallbacks();
    void objectWithTimersDestroyed();
    void registeredTimersAndRemainingTime();
    void timerNotReenteredByItsNestedLoop();

    void readAndWriteNotifiersOnOneDescriptor();
    void writeNotifierWaitsForRoomAndRepeatsWhileOn();
    void notifierDeletedByAnotherOfTheSameBatch();
    void descriptorNumberReused();
    void exceptionNotifierSeesUrgentData();
    void tcpManyConnectionsBothWays();
    void webSocketsManyConnectionsBothWays();

    void wakeUpFromAnotherThread();
    void dispatcherInAWorkerThread();
    void nestedLoopsKeepSocketsAndTimersRunning();
    void deferredDeleteWaitsForItsLoop();
    void processEventsFlags();
};

void TestEpollEventDispatcher::installedForTheMainThread()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

// ---- timers -------------------------------------------------------------------------------

void TestEpollEventDispatcher::repeatingTimerFiresAndStops()
{
    int fired = 0;
    QTimer timer;
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(fired >= 5, 10000);
    timer.stop();
    const int atStop = fired;
    QTest::qWait(200);
    QCOMPARE(fired, atStop);
}

void TestEpollEventDispatcher::timerKinds_data()
{
    QTest::addColumn<Qt::TimerType>("type");
    QTest::addColumn<int>("interval");
    QTest::newRow("precise 15 ms") << Qt::PreciseTimer << 15;
    QTest::newRow("coarse 15 ms (becomes precise)") << Qt::CoarseTimer << 15;
    QTest::newRow("coarse 120 ms") << Qt::CoarseTimer << 120;
    QTest::newRow("very coarse 1 s") << Qt::VeryCoarseTimer << 1000;
    QTest::newRow("very coarse 200 ms (under a second)") << Qt::VeryCoarseTimer << 200;
}

void TestEpollEventDispatcher::timerKinds()
{
    QFETCH(Qt::TimerType, type);
    QFETCH(int, interval);
    QTimer timer;
    timer.setTimerType(type);
    timer.setInterval(interval);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
    // "Never early" without a stopwatch: a precise single shot due just before the third fire
    // could be (less Qt's 5 % for coarse, half a second for very coarse) is started first, so
    // it must come before the third fire even when the machine stalls (both are then overdue
    // and fire in deadline order).
    const int slack = type == Qt::VeryCoarseTimer ? 500 : interval / 20 + 1;
    int firedAtMarker = -1;
    QTimer::singleShot(std::max(0, 3 * interval - 3 * slack - 1), Qt::PreciseTimer, this,
                       [&] { firedAtMarker = fired; });
    timer.start();
    QVERIFY(timerListed(QAbstractEventDispatcher::instance()->registeredTimers(&timer),
                        timer.timerId(), interval, type));
    const int left = timer.remainingTime();
    QVERIFY2(left >= 0 && left <= interval + interval / 20 + 500,
             qPrintable(QString::number(left)));
    QTRY_VERIFY_WITH_TIMEOUT(fired >= 3 && firedAtMarker >= 0, 20000);
    QVERIFY2(firedAtMarker < 3, qPrintable(QString::number(firedAtMarker)));
    timer.stop();
    const int atStop = fired;
    QTest::qWait(100);
    QCOMPARE(fired, atStop);
}

void TestEpollEventDispatcher::timersFireInDeadlineOrder()
{
    QStringList order;
    QTimer::singleShot(600, Qt::PreciseTimer, this, [&] { order << "600"; });
    QTimer::singleShot(200, Qt::PreciseTimer, this, [&] { order << "200"; });
    QTimer::singleShot(400, Qt::PreciseTimer, this, [&] { order << "400"; });
    // Same interval: registration order.
    for (int i = 0; i < 5; ++i)
        QTimer::singleShot(50, Qt::PreciseTimer, this, [&, i] { order << QString::number(i); });
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 8, 10000);
    QCOMPARE(order, QStringList({"0", "1", "2", "3", "4", "200", "400", "600"}));
}

void TestEpollEventDispatcher::singleShots()
{
    int zero = 0, later = 0, member = 0;
    QTimer::singleShot(0, this, [&] { ++zero; });
    QTimer::singleShot(30, this, [&] { ++later; });
    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(20);
    connect(&timer, &QTimer::timeout, this, [&] { ++member; });
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(zero == 1 && later == 1 && member == 1, 10000);
    QVERIFY(!timer.isActive());
    QTest::qWait(150);
    QCOMPARE(zero, 1);
    QCOMPARE(later, 1);
    QCOMPARE(member, 1);
}

void TestEpollEventDispatcher::zeroTimerDoesNotStarveOtherWork()
{
    int zeroFires = 0;
    QTimer zero;
    zero.setInterval(0);
    connect(&zero, &QTimer::timeout, this, [&] { ++zeroFires; });
    zero.start();
    bool posted = false;
    int shot = 0;
    QMetaObject::invokeMethod(
        this, [&] { posted = true; }, Qt::QueuedConnection);
    QTimer::singleShot(20, this, [&] { ++shot; });
    SocketPair pair;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    int reads = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++reads;
        drain(pair.fd[0]);
    });
    pair.send("x");
    QTRY_VERIFY_WITH_TIMEOUT(posted && shot == 1 && reads == 1 && zeroFires > 10, 10000);
    zero.stop();
}

void TestEpollEventDispatcher::timersKilledAndStartedInCallbacks()
{
    TimerObject o;
    QStringList fired;
    // Qt reuses a killed timer's id: -1 marks a timer that is gone.
    int a = -1, b = -1, c = -1, self = -1;
    o.onTimer = [&](int id) {
        if (id == a) { // a and b are due together: a runs first and kills b and itself
            fired << "a";
            o.killTimer(b);
            b = -1;
            o.killTimer(a);
            a = -1;
            c = o.startTimer(10, Qt::PreciseTimer);
        } else if (id == b) {
            fired << "b";
        } else if (id == c) {
            fired << "c";
            o.killTimer(c);
            c = -1;
            self = o.startTimer(0, Qt::PreciseTimer);
        } else if (id == self) {
            fired << "self";
            o.killTimer(self);
            self = -1;
        } else {
            fired << "unknown";
        }
    };
    a = o.startTimer(30, Qt::PreciseTimer);
    b = o.startTimer(30, Qt::PreciseTimer);
    QTRY_VERIFY_WITH_TIMEOUT(fired.contains("self"), 10000);
    QTest::qWait(150);
    QCOMPARE(fired, QStringList({"a", "c", "self"}));
    QVERIFY(QAbstractEventDispatcher::instance()->registeredTimers(&o).isEmpty());
}

void TestEpollEventDispatcher::objectWithTimersDestroyed()
{
    int fired = 0;
    for (int round = 0; round < 20; ++round) {
        auto *o = new TimerObject;
        o->onTimer = [&](int) { ++fired; };
        o->startTimer(0);
        o->startTimer(5);
        o->startTimer(60000, Qt::VeryCoarseTimer);
        QTest::qWait(round % 3 == 0 ? 0 : 10);
        delete o; // unregisterTimers(o): nothing may fire on it afterwards (ASan would see it)
    }
    // An object deleted from its own timer event, through deleteLater.
    QPointer<TimerObject> later = new TimerObject;
    later->onTimer = [&](int) { later->deleteLater(); };
    later->startTimer(1);
    later->startTimer(1);
    QTRY_VERIFY_WITH_TIMEOUT(later.isNull(), 10000);
    QVERIFY(fired > 0);
}

void TestEpollEventDispatcher::registeredTimersAndRemainingTime()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    TimerObject o;
    const int precise = o.startTimer(100, Qt::PreciseTimer);
    const int coarse = o.startTimer(5000, Qt::CoarseTimer);
    const int veryCoarse = o.startTimer(60000, Qt::VeryCoarseTimer);
    const int longCoarse = o.startTimer(30000, Qt::CoarseTimer); // scheduled as very coarse
    const auto timers = dispatcher->registeredTimers(&o);
    QCOMPARE(timers.size(), 4);
    QVERIFY(timerListed(timers, precise, 100, Qt::PreciseTimer));
    QVERIFY(timerListed(timers, coarse, 5000, Qt::CoarseTimer));
    QVERIFY(timerListed(timers, veryCoarse, 60000, Qt::VeryCoarseTimer));
    QVERIFY(timerListed(timers, longCoarse, 30000, Qt::CoarseTimer));
    const int coarseLeft = dispatcher->remainingTime(coarse);
    QVERIFY2(coarseLeft > 0 && coarseLeft <= 5250, qPrintable(QString::number(coarseLeft)));
    const int veryLeft = dispatcher->remainingTime(veryCoarse);
    QVERIFY2(veryLeft > 0 && veryLeft <= 60500, qPrintable(QString::number(veryLeft)));
    QVERIFY(dispatcher->remainingTime(precise) <= 100);
    o.killTimer(coarse);
    QCOMPARE(dispatcher->remainingTime(coarse), -1);
    QCOMPARE(dispatcher->registeredTimers(&o).size(), 3);
    QVERIFY(dispatcher->unregisterTimers(&o));
    QVERIFY(dispatcher->registeredTimers(&o).isEmpty());
    QCOMPARE(dispatcher->remainingTime(precise), -1);
    QVERIFY(!dispatcher->unregisterTimers(&o));
}

void TestEpollEventDispatcher::timerNotReenteredByItsNestedLoop()
{
    TimerObject o;
    int fires = 0, depth = 0, maxDepth = 0, othersDuringNested = 0;
    QTimer other;
    other.setInterval(10);
    connect(&other, &QTimer::timeout, this, [&] {
        if (depth > 0)
            ++othersDuringNested;
    });
    other.start();
    o.onTimer = [&](int) {
        ++fires;
        maxDepth = qMax(maxDepth, ++depth);
        if (fires == 1)
            QTest::qWait(200); // its own 10 ms interval passes many times in here
        --depth;
    };
    o.startTimer(10, Qt::PreciseTimer);
    QTRY_VERIFY_WITH_TIMEOUT(fires >= 3, 10000);
    QCOMPARE(maxDepth, 1);
    QVERIFY(othersDuringNested > 0);
}

// ---- socket notifiers ---------------------------------------------------------------------

void TestEpollEventDispatcher::readAndWriteNotifiersOnOneDescriptor()
{
    SocketPair pair;
    QVERIFY(pair.fd[0] >= 0);
    QSocketNotifier read(pair.fd[0], QSocketNotifier::Read);
    QSocketNotifier write(pair.fd[0], QSocketNotifier::Write);
    int reads = 0, writes = 0;
    connect(&read, &QSocketNotifier::activated, this, [&] {
        ++reads;
        drain(pair.fd[0]);
    });
    connect(&write, &QSocketNotifier::activated, this, [&] {
        ++writes;
        write.setEnabled(false);
    });
    QTRY_COMPARE_WITH_TIMEOUT(writes, 1, 10000); // writable at once
    QCOMPARE(reads, 0);
    pair.send("a");
    QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 10000);
    QCOMPARE(writes, 1);

    // Enabled and disabled again before the loop runs: nothing to tell the kernel, nothing fires.
    for (int i = 0; i < 1000; ++i) {
        write.setEnabled(true);
        write.setEnabled(false);
    }
    QTest::qWait(50);
    QCOMPARE(writes, 1);
    write.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(writes, 2, 10000);

    // A disabled read notifier misses nothing: it fires once enabled again (level-triggered).
    read.setEnabled(false);
    pair.send("b");
    QTest::qWait(50);
    QCOMPARE(reads, 1);
    read.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(reads, 2, 10000);

    // Only the write notifier left, then the read one alone again.
    read.setEnabled(false);
    write.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(writes, 3, 10000);
    read.setEnabled(true);
    pair.send("c");
    QTRY_COMPARE_WITH_TIMEOUT(reads, 3, 10000);

    // The peer hangs up: the read notifier sees it (EOF), as with poll().
    ::close(pair.fd[1]);
    pair.fd[1] = -1;
    QTRY_VERIFY_WITH_TIMEOUT(reads >= 4, 10000);
    read.setEnabled(false);
}

void TestEpollEventDispatcher::writeNotifierWaitsForRoomAndRepeatsWhileOn()
{
    SocketPair pair;
    // Fill the send buffer: the write notifier, switched on now, must wait for the peer to read.
    const QByteArray chunk(4096, 'f');
    qint64 filled = 0;
    for (ssize_t n; (n = ::write(pair.fd[0], chunk.constData(), chunk.size())) > 0;)
        filled += n;
    QCOMPARE(errno, EAGAIN);
    QSocketNotifier write(pair.fd[0], QSocketNotifier::Write);
    int writes = 0;
    connect(&write, &QSocketNotifier::activated, this, [&] { ++writes; });
    QTest::qWait(100);
    QCOMPARE(writes, 0);
    qint64 drained = 0;
    char buffer[65536];
    for (ssize_t n; drained < filled && (n = ::read(pair.fd[1], buffer, sizeof buffer)) > 0;)
        drained += n;
    QCOMPARE(drained, filled);
    // Left on and writable: it fires again and again (level-triggered), until switched off.
    QTRY_VERIFY_WITH_TIMEOUT(writes >= 5, 10000);
    write.setEnabled(false);
    const int atOff = writes;
    QTest::qWait(50);
    QCOMPARE(writes, atOff);
    // Off, buffer filled again, on: waits again.
    while (::write(pair.fd[0], chunk.constData(), chunk.size()) > 0) {
    }
    write.setEnabled(true);
    QTest::qWait(50);
    QCOMPARE(writes, atOff);
    drain(pair.fd[1]);
    QTRY_VERIFY_WITH_TIMEOUT(writes > atOff, 10000);
}

void TestEpollEventDispatcher::notifierDeletedByAnotherOfTheSameBatch()
{
    for (int round = 0; round < 20; ++round) {
        SocketPair a, b;
        auto na = std::make_unique<QSocketNotifier>(a.fd[0], QSocketNotifier::Read);
        auto nb = std::make_unique<QSocketNotifier>(b.fd[0], QSocketNotifier::Read);
        int fired = 0;
        connect(na.get(), &QSocketNotifier::activated, this, [&] {
            ++fired;
            drain(a.fd[0]);
            nb.reset();
        });
        connect(nb.get(), &QSocketNotifier::activated, this, [&] {
            ++fired;
            drain(b.fd[0]);
            na.reset();
        });
        a.send("x"); // both ready before the loop runs: one epoll_wait reports both
        b.send("y");
        QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 10000);
        QTest::qWait(20);
        QCOMPARE(fired, 1);
    }
}

void TestEpollEventDispatcher::descriptorNumberReused()
{
    // Close a descriptor and get its number back for a new socket, with and without the loop
    // running in between, notifier removed before or after the close: the new one must work.
    for (int round = 0; round < 40; ++round) {
        auto *first = new SocketPair;
        const int number = first->fd[0];
        auto *old = new QSocketNotifier(number, QSocketNotifier::Read);
        old->setEnabled(true);
        if (round % 2)
            QTest::qWait(1);
        if (round % 4 < 2) {
            delete old;
            delete first;
        } else {
            delete first; // closed while its notifier is still registered
            delete old;
        }
        SocketPair second;
        QSocketNotifier fresh(second.fd[0], QSocketNotifier::Read);
        int reads = 0;
        connect(&fresh, &QSocketNotifier::activated, this, [&] {
            ++reads;
            drain(second.fd[0]);
        });
        second.send("z");
        QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 10000);
    }
}

void TestEpollEventDispatcher::exceptionNotifierSeesUrgentData()
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(listener, 1), 0);
    socklen_t length = sizeof address;
    QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QCOMPARE(::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    const int server = ::accept(listener, nullptr, nullptr);
    QVERIFY(server >= 0);
    {
        QSocketNotifier exception(server, QSocketNotifier::Exception);
        QSocketNotifier read(server, QSocketNotifier::Read);
        int urgent = 0, reads = 0;
        connect(&exception, &QSocketNotifier::activated, this, [&] {
            ++urgent;
            char byte = 0;
            ::recv(server, &byte, 1, MSG_OOB);
        });
        connect(&read, &QSocketNotifier::activated, this, [&] {
            ++reads;
            char buffer[16];
            ::recv(server, buffer, sizeof buffer, MSG_DONTWAIT);
        });
        QTest::qWait(20);
        QCOMPARE(urgent, 0);
        QCOMPARE(::send(client, "!", 1, MSG_OOB), ssize_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(urgent >= 1, 10000);
        QCOMPARE(::send(client, "plain", 5, 0), ssize_t(5));
        QTRY_VERIFY_WITH_TIMEOUT(reads >= 1, 10000);
    }
    ::close(client);
    ::close(server);
    ::close(listener);
}

void TestEpollEventDispatcher::tcpManyConnectionsBothWays()
{
    constexpr int kClients = 500;
    QTcpServer server;
    server.setListenBacklogSize(kClients);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    std::vector<QTcpSocket *> accepted;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *peer = server.nextPendingConnection()) {
            accepted.push_back(peer);
            // Echo each line back in capitals.
            connect(peer, &QTcpSocket::readyRead, peer, [peer] {
                while (peer->canReadLine())
                    peer->write(peer->readLine().toUpper());
            });
        }
    });
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    int echoes = 0, broadcasts = 0;
    for (int i = 0; i < kClients; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        connect(s, &QTcpSocket::connected, s,
                [s, i] { s->write(QByteArray("hello ") + QByteArray::number(i) + '\n'); });
        connect(s, &QTcpSocket::readyRead, s, [s, i, &echoes, &broadcasts] {
            while (s->canReadLine()) {
                const QByteArray line = s->readLine();
                if (line == QByteArray("HELLO ") + QByteArray::number(i) + '\n')
                    ++echoes;
                else if (line == "everyone\n")
                    ++broadcasts;
            }
        });
        s->connectToHost(QHostAddress::LocalHost, server.serverPort());
        clients.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(echoes, kClients, 60000);
    QCOMPARE(int(accepted.size()), kClients);
    // Server to every client at once (its write notifiers all enabled in one wake-up).
    const QByteArray big = QByteArray(64 * 1024, 'x') + '\n';
    for (QTcpSocket *peer : accepted) {
        peer->write("everyone\n");
        peer->write(big); // larger than a socket buffer: needs write notifications to finish
    }
    QTRY_COMPARE_WITH_TIMEOUT(broadcasts, kClients, 60000);
    for (QTcpSocket *peer : accepted)
        QTRY_COMPARE_WITH_TIMEOUT(peer->bytesToWrite(), qint64(0), 60000);
    // Clients hang up: the server sees every disconnection.
    int gone = 0;
    for (QTcpSocket *peer : accepted)
        connect(peer, &QTcpSocket::disconnected, this, [&] { ++gone; });
    clients.clear();
    QTRY_COMPARE_WITH_TIMEOUT(gone, kClients, 60000);
    qDeleteAll(accepted);
}

void TestEpollEventDispatcher::webSocketsManyConnectionsBothWays()
{
    constexpr int kClients = 500;
    QWebSocketServer server(QStringLiteral("epoll test"), QWebSocketServer::NonSecureMode);
    server.setMaxPendingConnections(kClients);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    std::vector<QWebSocket *> peers;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        while (QWebSocket *peer = server.nextPendingConnection()) {
            peers.push_back(peer);
            connect(peer, &QWebSocket::textMessageReceived, peer,
                    [peer](const QString &text) { peer->sendTextMessage("echo " + text); });
        }
    });
    std::vector<std::unique_ptr<QWebSocket>> clients;
    int echoes = 0, broadcasts = 0;
    for (int i = 0; i < kClients; ++i) {
        auto socket = std::make_unique<QWebSocket>();
        QWebSocket *s = socket.get();
        connect(s, &QWebSocket::connected, s,
                [s, i] { s->sendTextMessage(QStringLiteral("ping %1").arg(i)); });
        connect(s, &QWebSocket::textMessageReceived, s,
                [i, &echoes, &broadcasts](const QString &text) {
                    if (text == QStringLiteral("echo ping %1").arg(i))
                        ++echoes;
                    else if (text == QStringLiteral("to all"))
                        ++broadcasts;
                });
        s->open(server.serverUrl());
        clients.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(echoes, kClients, 90000);
    QCOMPARE(int(peers.size()), kClients);
    for (QWebSocket *peer : peers)
        peer->sendTextMessage(QStringLiteral("to all"));
    QTRY_COMPARE_WITH_TIMEOUT(broadcasts, kClients, 60000);
    // Server-side pings and the clients' pongs (QWebSocket's own control frames).
    int pongs = 0;
    for (QWebSocket *peer : peers) {
        connect(peer, &QWebSocket::pong, this, [&] { ++pongs; });
        peer->ping();
    }
    QTRY_COMPARE_WITH_TIMEOUT(pongs, kClients, 60000);
    int closed = 0;
    for (QWebSocket *peer : peers)
        connect(peer, &QWebSocket::disconnected, this, [&] { ++closed; });
    for (auto &c : clients)
        c->close();
    QTRY_COMPARE_WITH_TIMEOUT(closed, kClients, 60000);
    clients.clear();
    qDeleteAll(peers);
}

// ---- threads and loops --------------------------------------------------------------------

void TestEpollEventDispatcher::wakeUpFromAnotherThread()
{
    // No timer of its own in the loop but the safety one: if a post from the thread did not
    // wake epoll_wait, the loop would sleep until the safety timer and exit with 1.
    constexpr int kPosts = 1000;
    QEventLoop loop;
    int received = 0;
    QTimer::singleShot(30000, &loop, [&] { loop.exit(1); });
    std::unique_ptr<QThread> thread(QThread::create([&] {
        for (int i = 0; i < kPosts; ++i) {
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    if (++received == kPosts)
                        loop.exit(0);
                },
                Qt::QueuedConnection);
            if (i % 100 == 0)
                QThread::msleep(5); // let the main loop go back to sleep now and then
        }
    }));
    thread->start();
    QCOMPARE(loop.exec(), 0);
    QCOMPARE(received, kPosts);
    QVERIFY(thread->wait(10000));
}

void TestEpollEventDispatcher::dispatcherInAWorkerThread()
{
    QThread thread;
    auto *dispatcher = new EpollEventDispatcher;
    QVERIFY(dispatcher->isValid());
    thread.setEventDispatcher(dispatcher); // the thread owns it from here
    thread.start();
    QObject worker;
    worker.moveToThread(&thread);
    std::atomic<int> ticks = 0;
    std::atomic<bool> ownDispatcher = false;
    int replies = 0;
    // A timer in the worker, and round trips main -> worker -> main.
    QMetaObject::invokeMethod(
        &worker,
        [&] {
            ownDispatcher = QAbstractEventDispatcher::instance() == dispatcher;
            auto *timer = new QTimer(&worker);
            connect(timer, &QTimer::timeout, &worker, [&] { ++ticks; });
            timer->start(5);
        },
        Qt::QueuedConnection);
    for (int i = 0; i < 200; ++i) {
        QMetaObject::invokeMethod(
            &worker,
            [&] {
                QMetaObject::invokeMethod(
                    this, [&] { ++replies; }, Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
    QTRY_COMPARE_WITH_TIMEOUT(replies, 200, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(ticks >= 5, 10000);
    QVERIFY(ownDispatcher);
    QMetaObject::invokeMethod(
        &worker,
        [&] {
            qDeleteAll(worker.children());
            worker.moveToThread(qApp->thread());
        },
        Qt::BlockingQueuedConnection);
    thread.quit(); // interrupt() from this thread wakes the worker's epoll_wait
    QVERIFY(thread.wait(10000));
}

void TestEpollEventDispatcher::nestedLoopsKeepSocketsAndTimersRunning()
{
    // QTest::qWait / QEventLoop::exec inside a slot of a socket and of a timer, as
    // QCoro::waitFor does: sockets and timers keep working in there and after.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket *peer = nullptr;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [&] { peer->write(peer->readAll()); });
    });
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(10000) || client.state() == QAbstractSocket::ConnectedState);
    QTRY_VERIFY_WITH_TIMEOUT(peer != nullptr, 10000);

    QByteArray received;
    bool nestedSawEcho = false, outerDone = false;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    QTimer::singleShot(10, this, [&] {
        client.write("inner");
        QEventLoop inner;
        QTimer safety;
        connect(&safety, &QTimer::timeout, &inner, [&] { inner.exit(1); });
        safety.start(20000);
        connect(&client, &QTcpSocket::readyRead, &inner, [&] {
            if (received.contains("inner"))
                inner.exit(0);
        });
        nestedSawEcho = inner.exec() == 0;
        // A second level, from the same slot.
        client.write("-deeper");
        QTRY_VERIFY_WITH_TIMEOUT(received.contains("-deeper"), 20000);
        outerDone = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(outerDone, 30000);
    QVERIFY(nestedSawEcho);
    client.write("-after");
    QTRY_VERIFY_WITH_TIMEOUT(received.endsWith("-after"), 10000);
    QCOMPARE(received, QByteArray("inner-deeper-after"));
    delete peer;
}

void TestEpollEventDispatcher::deferredDeleteWaitsForItsLoop()
{
    QPointer<QObject> object = new QObject;
    bool aliveAfterInner = false;
    QEventLoop outer;
    QTimer::singleShot(0, &outer, [&] {
        object->deleteLater(); // belongs to this (outer) loop level
        QEventLoop inner;
        QTimer::singleShot(50, &inner, &QEventLoop::quit);
        inner.exec();
        aliveAfterInner = !object.isNull();
        QTimer::singleShot(0, &outer, &QEventLoop::quit);
    });
    QTimer::singleShot(20000, &outer, [&] { outer.exit(1); });
    QCOMPARE(outer.exec(), 0);
    QVERIFY(aliveAfterInner);
    QTRY_VERIFY_WITH_TIMEOUT(object.isNull(), 10000);
}

void TestEpollEventDispatcher::processEventsFlags()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    int reads = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++reads;
        drain(pair.fd[0]);
    });
    pair.send("x");
    bool posted = false;
    QMetaObject::invokeMethod(
        this, [&] { posted = true; }, Qt::QueuedConnection);
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(reads, 0);
    QVERIFY(posted);

    // Waiting without sockets: a readable socket must not wake it; a timer does.
    auto *dispatcher = QAbstractEventDispatcher::instance();
    bool fired = false;
    QTimer::singleShot(30, this, [&] { fired = true; });
    for (int i = 0; i < 100000 && !fired; ++i)
        dispatcher->processEvents(QEventLoop::WaitForMoreEvents |
                                  QEventLoop::ExcludeSocketNotifiers);
    QVERIFY(fired);
    QCOMPARE(reads, 0);

    // ExcludeUserInputEvents changes nothing for a server: sockets and timers run.
    bool fired2 = false;
    QTimer::singleShot(10, this, [&] { fired2 = true; });
    QTRY_VERIFY_WITH_TIMEOUT(reads == 1, 10000);
    for (int i = 0; i < 100000 && !fired2; ++i)
        dispatcher->processEvents(QEventLoop::WaitForMoreEvents |
                                  QEventLoop::ExcludeUserInputEvents);
    QVERIFY(fired2);

    // Not waiting: returns at once even with nothing to do.
    dispatcher->processEvents(QEventLoop::AllEvents);
}

int main(int argc, char *argv[])
{
    // Hundreds of sockets on both ends: raise the descriptor limit as a server operator would.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (!chalk::server::installEpollEventDispatcher()) {
        std::fprintf(stderr, "could not install the epoll event dispatcher\n");
        return 1;
    }
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epoll_event_dispatcher.moc"
