// Per-connection rate limits (token buckets), the abuse close (1008) and the rooms-per-server
// limit. Over real sockets; each test fails when its protection is
// removed.
#include "raw_websocket.h"
#include "server/storage/memory_storage.h"
#include "server_steps.h"
#include "slow_storage.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

class TestServerLimits : public QObject {
    Q_OBJECT
    TestServer m_server;
    qint64 m_nowMs = 0;

    // Options whose rate-limit clock only moves when the test moves m_nowMs.
    server::ServerOptions heldClock()
    {
        server::ServerOptions options;
        options.clockMs = [this] { return m_nowMs; };
        return options;
    }

private slots:
    void cleanup() { m_server.stop(); }

    void messageBurstOverTheLimitIsRefused()
    {
        // Defaults: 20 create_message/s, burst 50. The clock stands still, so exactly the
        // first 50 of 70 pass and the other 20 are refused, however slow the machine.
        QVERIFY(m_server.start(heldClock()));
        TestClient c;
        QVERIFY(!openAndEnter(c, m_server.url()).isEmpty());
        constexpr int kSent = 70;
        for (int i = 0; i < kSent; ++i)
            c.call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("message_created") + c.count("rate_limited") == kSent; }, 20000));
        QCOMPARE(c.count("message_created"), 50);
        QCOMPARE(c.count("rate_limited"), 20);
        const Statement refused = c.all("rate_limited").first();
        QVERIFY(refused.payload.value("detail").toString().contains("message rate limit"));
        QCOMPARE(refused.payload.value("call").toString(), QStringLiteral("create_message"));
        // A few refusals do not close the connection; still nothing refilled ...
        QVERIFY(c.isConnected());
        QCOMPARE(answerName(say(c, "too soon")), QStringLiteral("rate_limited"));
        // ... until a second passes: 20 tokens, then empty again.
        m_nowMs += 1000;
        for (int i = 0; i < 20; ++i)
            QCOMPARE(answerName(say(c, QStringLiteral("later %1").arg(i))),
                     QStringLiteral("message_created"));
        QCOMPARE(answerName(say(c, "one more")), QStringLiteral("rate_limited"));
    }

    void rateLimitedAnswersKeepTheOrderOfTheCalls()
    {
        // Storage answers late, so the accepted calls are still waiting when the refused ones
        // arrive: the refusals must still come after them, in call order.
        server::ServerOptions options = heldClock();
        options.messageBurst = 5;
        QVERIFY(m_server.start(
            options, std::make_unique<SlowStorage>(std::make_unique<server::MemoryStorage>(),
                                                   std::chrono::milliseconds(20))));
        TestClient c;
        QVERIFY(!openAndEnter(c, m_server.url()).isEmpty());
        const qsizetype from = c.received().size();
        constexpr int kSent = 8;
        for (int i = 0; i < kSent; ++i) {
            c.call("create_message", {{"body", QStringLiteral("m%1").arg(i)},
                                      {"client_id", QStringLiteral("c%1").arg(i)}});
        }
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("message_created") + c.count("rate_limited") == kSent; }, 20000));
        QStringList answers;
        for (qsizetype i = from; i < c.received().size(); ++i) {
            const Statement &s = c.received()[i];
            if (s.name == QLatin1String("message_created") ||
                s.name == QLatin1String("rate_limited"))
                answers << s.payload.value("client_id").toString() + QLatin1Char(':') + s.name;
        }
        QCOMPARE(answers,
                 QStringList({"c0:message_created", "c1:message_created", "c2:message_created",
                              "c3:message_created", "c4:message_created", "c5:rate_limited",
                              "c6:rate_limited", "c7:rate_limited"}));
    }

    void callBurstOverTheLimitIsRefused()
    {
        server::ServerOptions options = heldClock();
        options.callRate = 5;
        options.callBurst = 10;
        options.abuseRefusals = 0; // not closed: this test looks at the answers only
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        constexpr int kSent = 40;
        for (int i = 0; i < kSent; ++i)
            c.call("list_rooms");
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("rooms_listed") - 1 + c.count("rate_limited") == kSent; }, 20000));
        QCOMPARE(c.count("rooms_listed") - 1, 10); // the first came with the welcome
        QCOMPARE(c.count("rate_limited"), 30);
        QVERIFY(c.all("rate_limited")
                    .first()
                    .payload.value("detail")
                    .toString()
                    .contains("call rate limit"));
        QVERIFY(c.isConnected());
        m_nowMs += 200; // one call's worth at 5/s
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rate_limited"));
    }

    void liveDrawingAndTypingStayUnderTheDefaults()
    {
        // A drawer sends a stroke update every ~40 ms and typing notices; two seconds of it
        // must never be refused.
        QVERIFY(m_server.start());
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QVERIFY(enterRoom(c, createRoom(c)));
        const QString line = QUuid::createUuid().toString(QUuid::WithoutBraces);
        for (int i = 0; i < 50; ++i) {
            c.call("change_draw_line", {{"uuid", line},
                                        {"color", "#000000"},
                                        {"tool", "pen"},
                                        {"width", 2},
                                        {"points", points({double(i), double(i)})},
                                        {"append", i > 0}});
            if (i % 10 == 0)
                c.call("typing");
            QTest::qWait(40);
        }
        QVERIFY(c.waitForCount("draw_line_changed", 50, 20000));
        QCOMPARE(c.count("rate_limited"), 0);
    }

    void abuserIsClosedWith1008()
    {
        server::ServerOptions options;
        options.messageRate = 1;
        options.messageBurst = 5;
        options.abuseRefusals = 20;
        QVERIFY(m_server.start(options));
        TestClient bystander, abuser;
        const QString room = openBothAndEnter(bystander, abuser, m_server.url());
        QVERIFY(!room.isEmpty());
        for (int i = 0; i < 100 && abuser.isConnected(); ++i)
            abuser.call("create_message", {{"body", QStringLiteral("spam %1").arg(i)}});
        QVERIFY(abuser.waitClosed(20000));
        QCOMPARE(abuser.closeCode(), int(QWebSocketProtocol::CloseCodePolicyViolated));
        QVERIFY(abuser.count("rate_limited") >= 1);
        QVERIFY(abuser.count("rate_limited") < 20);
        QCOMPARE(abuser.socket().closeReason(),
                 QStringLiteral("rate limit exceeded again and again"));
        QVERIFY(bystander.isConnected());
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
    }

    void silentHandshakeIsDropped()
    {
        // A TCP connection that never sends the WebSocket handshake (slowloris) is dropped
        // after handshakeTimeoutMs; Qt's own default would keep it 10 s longer than the wait.
        server::ServerOptions options;
        options.handshakeTimeoutMs = 1000;
        QVERIFY(m_server.start(options));
        QTcpSocket idle;
        idle.connectToHost(QHostAddress::LocalHost, m_server.server->port());
        QVERIFY(idle.waitForConnected(10000));
        QVERIFY(QTest::qWaitFor([&] { return idle.state() == QAbstractSocket::UnconnectedState; },
                                8000));
        // Others still get in.
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
    }

    void roomsPerServerAreLimited()
    {
        server::ServerOptions options;
        options.maxRooms = 3;
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QStringList rooms;
        for (int i = 0; i < 3; ++i) {
            rooms << createRoom(c);
            QVERIFY(!rooms.last().isEmpty());
        }
        auto refused = c.request("create_room", {{"name", "one too many"}});
        QVERIFY(refused);
        QCOMPARE(refused->name, QStringLiteral("too_many_rooms"));
        QVERIFY(refused->payload.value("detail").toString().contains("3"));
        // Deleting one makes room for another.
        auto deleted = c.request("delete_room", {{"uuid", rooms.first()}});
        QVERIFY(deleted);
        QCOMPARE(deleted->name, QStringLiteral("room_deleted"));
        QVERIFY(!createRoom(c).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestServerLimits)
#include "tst_server_limits.moc"
