// The outbox after a long time offline: a thousand strokes and a hundred messages queued while
// the server was away all arrive once, in order, within the server's default rate limits
// (never rate_limited, never closed and reconnected), because ChatClient paces the flush
// (client/outbox_pacer.h). The client's timers and the server's rate-limit clock are one
// test::ManualClock, so a bucket refills exactly when the test moves time, however loaded
// the machine. Without the pacer, the same flush is refused: the limits are real.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "client_test_support.h"
#include "manual_clock.h"

#include <QCoroTask>
#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using namespace std::chrono_literals;

namespace {
constexpr int kWait = 15000;

protocol::Line stroke(int i)
{
    protocol::Line l;
    l.uuid = protocol::newUuid();
    l.points = {double(i % 500), 10.0, double(i % 500) + 5, 20.0};
    l.tool = QStringLiteral("pen");
    l.color = QStringLiteral("#336699");
    return l;
}
} // namespace

class TestClientOutboxPace : public QObject {
    Q_OBJECT

    std::shared_ptr<test::ManualClock> clock;
    std::unique_ptr<test::ServerHost> host;
    std::unique_ptr<ChatClient> client;
    QString room;

    ClientOptions options(const OutboxPace &pace)
    {
        ClientOptions o = test::fastOptions();
        o.clock = clock;
        o.heartbeatInterval = 1h; // time moves in big steps here; the link is not in question
        o.outboxPace = pace;
        return o;
    }

    // Connected, in a new room, then the server goes away; the client waits to reconnect.
    bool offlineInARoom(const OutboxPace &pace)
    {
        clock = std::make_shared<test::ManualClock>();
        host = std::make_unique<test::ServerHost>();
        host->options.clockMs = [c = clock] { return c->nowMs(); };
        if (!host->start())
            return false;
        client =
            std::make_unique<ChatClient>(std::make_shared<MemorySettingsStore>(), options(pace));
        QSignalSpy ready(client.get(), &ChatClient::ready);
        client->connectToServer(host->url());
        if (!ready.wait(kWait))
            return false;
        QSignalSpy created(client.get(), &ChatClient::roomCreated);
        client->createRoom(QStringLiteral("offline drawing"));
        if (!created.wait(kWait))
            return false;
        room = created.first().at(0).value<protocol::Room>().uuid;
        QSignalSpy entered(client.get(), &ChatClient::roomEntered);
        client->enterRoom(room);
        if (!entered.wait(kWait))
            return false;
        host->stop();
        return QTest::qWaitFor(
            [this] { return client->state() == ChatClient::State::Reconnecting; }, kWait);
    }

    // `lines` strokes and `messages` messages, the messages spread among the strokes.
    QStringList queueOffline(int lines, int messages)
    {
        QStringList bodies;
        for (int i = 0; i < std::max(lines, messages); ++i) {
            if (i < lines && client->queueDrawLine(stroke(i)).isEmpty())
                return {};
            if (i < messages) {
                bodies << QStringLiteral("offline %1").arg(i);
                if (client->sendMessage(bodies.last()).isEmpty())
                    return {};
            }
        }
        return client->outbox()->size() == lines + messages ? bodies : QStringList();
    }

    // Sends what waited after the server is back; checks that none of it was refused, the
    // link stayed up, and everything is stored once, the messages in order.
    void deliverPaced(int lines, int messages, int maxTicks)
    {
        const QStringList written = queueOffline(lines, messages);
        QCOMPARE(written.size(), messages);
        QSignalSpy errors(client.get(), &ChatClient::errorReceived);
        QSignalSpy states(client.get(), &ChatClient::stateChanged);
        QVERIFY(backOnline());
        states.clear();

        const int ticks = ticksToDrain(maxTicks);
        QVERIFY2(ticks >= 0, qPrintable(QStringLiteral("%1 entries left, state %2")
                                            .arg(client->outbox()->size())
                                            .arg(client->stateText())));
        qInfo() << lines << "strokes and" << messages << "messages sent in" << ticks << "ticks of"
                << OutboxPace().tick.count() << "ms";
        for (const QList<QVariant> &e : std::as_const(errors))
            QVERIFY2(false, qPrintable(e.at(0).toString() + ": " + e.at(1).toString()));
        for (const QList<QVariant> &s : std::as_const(states))
            QCOMPARE(s.at(0).value<ChatClient::State>(), ChatClient::State::Connected);
        QCOMPARE(client->state(), ChatClient::State::Connected);

        const auto stored = QCoro::waitFor(host->storage->lines(room));
        QVERIFY(stored);
        QCOMPARE(stored->size(), lines);
        QStringList bodies;
        for (const protocol::Message &m : host->history(room))
            bodies << m.body;
        QCOMPARE(bodies, written);
    }

    // The server is back: the client reconnects (its backoff is on the manual clock) and is
    // put back into its room.
    bool backOnline()
    {
        const quint16 port = host->port();
        if (!host->start(port))
            return false;
        clock->advance(500ms); // past fastOptions' longest backoff
        return QTest::qWaitFor([this] { return client->currentRoomUuid() == room; }, kWait);
    }

    // Moves time a tick at a time until the outbox is empty; the ticks it took (-1: never).
    int ticksToDrain(int maxTicks)
    {
        for (int tick = 0; tick <= maxTicks; ++tick) {
            if (client->outbox()->isEmpty())
                return tick;
            clock->advance(OutboxPace().tick);
            QTest::qWait(10);
        }
        return QTest::qWaitFor([this] { return client->outbox()->isEmpty(); }, kWait) ? maxTicks
                                                                                      : -1;
    }

private slots:
    void cleanup()
    {
        client.reset();
        host.reset();
        clock.reset();
    }

    void aThousandOfflineStrokesArriveWithinTheLimits()
    {
        QVERIFY(offlineInARoom(OutboxPace()));
        // 1100 calls at 15 a tick after a burst of 120: ~66 ticks.
        deliverPaced(1000, 100, 400);
    }

    void threeHundredOfflineMessagesArriveWithinTheLimits()
    {
        QVERIFY(offlineInARoom(OutboxPace()));
        // Messages have their own, smaller limit: 4 a tick after a burst of 40, ~65 ticks.
        deliverPaced(0, 300, 400);
    }

    void withoutPacingTheServerRefuses()
    {
        // The control: the same flush all at once overruns the server's default limits.
        OutboxPace unpaced;
        unpaced.messagesPerTick = unpaced.messageBurst = 100000;
        unpaced.callsPerTick = unpaced.callBurst = 100000;
        QVERIFY(offlineInARoom(unpaced));
        QCOMPARE(queueOffline(1000, 100).size(), 100);
        QSignalSpy errors(client.get(), &ChatClient::errorReceived);
        QVERIFY(backOnline());
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
        QCOMPARE(errors.first().at(0).toString(), QStringLiteral("rate_limited"));
    }
};

QTEST_GUILESS_MAIN(TestClientOutboxPace)
#include "tst_client_outbox_pace.moc"
