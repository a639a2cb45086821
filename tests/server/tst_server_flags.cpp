// Each limit and interval flag of chalkroom-server, through the real program: started with
// the flag at a value far from its default, the server shows it in what it accepts, refuses or
// drops. (What each ServerOptions field does is tested in process -- tst_server_limits,
// tst_server_hostile, tst_server_refusals; these show that the flag reaches it.)
#include "raw_websocket.h"
#include "server_process.h"
#include "server_steps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

using namespace chalk::test;

namespace {

QJsonObject line(const QJsonArray &xy)
{
    return {{"uuid", QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {"points", xy},
            {"color", "#000"},
            {"tool", "pen"}};
}

// A hand-made client that answers the server's pings itself. Once armed, it answers each ping
// only after the next room_changed, and makes that room_changed itself: on the ping it moves
// to another room, and the server tells the rooms' change after its coalescing interval
// (200 ms). So its answer comes that much after the ping, by the server's own timers.
class LatePonger {
public:
    LatePonger(QTcpSocket &socket, QStringList rooms)
        : m_socket(socket)
        , m_rooms(std::move(rooms))
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] { read(); });
    }
    void arm() { m_armed = true; }
    int armedPings() const { return m_armedPings; }
    int roomChanges() const { return m_roomChanges; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    void read()
    {
        m_buffer += m_socket.readAll();
        while (const auto frame = takeServerFrame(m_buffer)) {
            if (frame->opcode == 0x9)
                onPing(frame->payload);
            else if (frame->opcode == 0x1 && QJsonDocument::fromJson(frame->payload)
                                                     .object()
                                                     .value("payload")
                                                     .toObject()
                                                     .value("message")
                                                     .toString() == "room_changed")
                onRoomChanged();
        }
    }
    void onPing(const QByteArray &payload)
    {
        if (!m_armed) {
            m_socket.write(maskedFrame(0xA, payload));
            return;
        }
        ++m_armedPings;
        m_pong = payload;
        rawEnterRoom(m_socket, m_rooms[m_armedPings % m_rooms.size()]);
    }
    void onRoomChanged()
    {
        ++m_roomChanges;
        if (m_pong) {
            m_socket.write(maskedFrame(0xA, *m_pong));
            m_pong.reset();
        }
    }

    QTcpSocket &m_socket;
    QStringList m_rooms;
    QByteArray m_buffer;
    bool m_armed = false;
    int m_armedPings = 0;
    int m_roomChanges = 0;
    std::optional<QByteArray> m_pong; // owed, sent on the next room_changed
};

} // namespace

class TestServerFlags : public QObject {
    Q_OBJECT

private slots:
    void maxBodyFlagApplies()
    {
        Running r = launchMemory({"--max-body", "10"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        QCOMPARE(answerName(say(c, QString(10, u'b'))), QStringLiteral("message_created"));
        QCOMPARE(answerName(say(c, QString(11, u'b'))), QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxRoomNameFlagApplies()
    {
        Running r = launchMemory({"--max-room-name", "5"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        QCOMPARE(answerName(c.request("create_room", {{"name", "12345"}})),
                 QStringLiteral("room_created"));
        QCOMPARE(answerName(c.request("create_room", {{"name", "123456"}})),
                 QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxPointsPerLineFlagApplies()
    {
        Running r = launchMemory({"--max-points-per-line", "3"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1, 2, 2, 3, 3})))),
                 QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1, 2, 2, 3, 3, 4, 4})))),
                 QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxLinesPerRoomFlagApplies()
    {
        Running r = launchMemory({"--max-lines-per-room", "2"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        for (int i = 0; i < 2; ++i)
            QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1})))),
                     QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1})))),
                 QStringLiteral("too_many_lines"));
        QVERIFY(stops(r));
    }

    void callBurstFlagApplies()
    {
        // A rate of one call per 1000 s: only the burst is served.
        Running r = launchMemory({"--call-rate", "0.001", "--call-burst", "3"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rate_limited"));
        QVERIFY(stops(r));
    }

    void presenceFlagsApply()
    {
        // Two users leave together; with a batch of one user a frame, each goes in a frame of
        // its own (by default, 500 a frame, the two would share the first).
        Running r = launchMemory({"--presence-interval", "50", "--presence-batch", "1"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient watcher, a, b;
        const QString room = openAndEnter(watcher, r.url);
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(a, r.url, room), room);
        QCOMPARE(openAndEnter(b, r.url, room), room);
        QVERIFY(waitForMembers(watcher, 3));
        watcher.skipAll();
        const int before = watcher.count("presence_changed");
        a.socket().close();
        b.socket().close();
        const auto offline = [&] {
            int n = 0;
            for (const Statement &s : watcher.all("presence_changed").mid(before))
                for (const QJsonValue &v : s.payload.value("users").toArray())
                    n += v.toObject().value("online").toBool() ? 0 : 1;
            return n;
        };
        QVERIFY(QTest::qWaitFor([&] { return offline() == 2; }, 10000));
        for (const Statement &s : watcher.all("presence_changed").mid(before))
            QCOMPARE(s.payload.value("users").toArray().size(), 1);
        QVERIFY(stops(r));
    }

    void heartbeatFlagsApply()
    {
        // A peer that never answers a ping is dropped within interval + timeout (5.5 s); with
        // the default interval (25 s) it would still be there when this wait gives up.
        Running r = launchMemory({"--heartbeat-interval", "3000", "--heartbeat-timeout", "2500"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient alive; // QWebSocket answers pings by itself
        const QString room = openAndEnter(alive, r.url);
        QVERIFY(!room.isEmpty());
        auto silent = rawWebSocket(r.url);
        QVERIFY(silent);
        rawEnterRoom(*silent, room);
        QVERIFY(waitForMembers(alive, 2));
        QVERIFY(waitForMembers(alive, 1, 18000));
        QCOMPARE(answerName(say(alive, "still here")), QStringLiteral("message_created"));
        QVERIFY(stops(r));
    }

    void heartbeatTimeoutFlagApplies()
    {
        // The peer answers each ping after the room_changed it causes, i.e. after the server's
        // coalescing interval (200 ms): later than a 150 ms time-out allows, in time for the
        // default one (10 s, cut to the 2 s interval). Both are the server's own timers, so
        // their order does not depend on the machine's speed: with the flag the peer is
        // dropped on its first late answer; without it, it would answer ping after ping.
        Running r = launchMemory({"--heartbeat-interval", "2000", "--heartbeat-timeout", "150"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        QStringList rooms;
        {
            TestClient maker; // in no room: its leaving changes none
            QVERIFY(maker.openAndWelcome(r.url));
            rooms << createRoom(maker) << createRoom(maker);
            QVERIFY(!rooms.contains(QString()));
        }
        auto socket = rawWebSocket(r.url);
        QVERIFY(socket);
        LatePonger peer(*socket, rooms);
        rawEnterRoom(*socket, rooms[0]);
        // Its room_changed: nothing else is due to change, so the next one is the peer's own.
        QVERIFY(QTest::qWaitFor([&] { return peer.roomChanges() >= 1; }, 10000));
        peer.arm();
        QVERIFY(
            QTest::qWaitFor([&] { return !peer.isConnected() || peer.armedPings() >= 3; }, 20000));
        QVERIFY(!peer.isConnected());
        QCOMPARE(peer.armedPings(), 1);
        QVERIFY(stops(r));
    }

    void maxStatementBytesFlagApplies()
    {
        // Frames up to exactly the flag's size are read (this one is answered: its body is too
        // long); one byte more and Qt closes the link with 1009 before reading it. The default
        // (far above) would answer both.
        Running r = launchMemory({"--max-statement-bytes", "4096", "--max-body", "700"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        const auto frameOf = [](int bytes) {
            // (No raw string literals here: moc misreads this file with them.)
            const QString head = QStringLiteral(
                "{\"type\":\"call\",\"payload\":{\"message\":\"create_message\",\"body\":\"");
            const QString tail = QStringLiteral("\"}}");
            return head + QString(bytes - head.size() - tail.size(), u'x') + tail;
        };
        QCOMPARE(frameOf(4096).toUtf8().size(), 4096);
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        c.sendText(frameOf(4096));
        QVERIFY(c.waitFor("data_too_long"));
        c.sendText(frameOf(4097));
        QVERIFY(c.waitClosed());
        QCOMPARE(c.closeCode(), int(QWebSocketProtocol::CloseCodeTooMuchData));
        QCOMPARE(c.count("data_too_long"), 1);
        QVERIFY(stops(r));
    }

    void messageRateFlagApplies()
    {
        // Rate 0 turns the message limit off: ten messages sent at once with a burst of one all
        // pass. Under the default rate (20/s) all but about the first would be refused.
        Running r = launchMemory({"--message-rate", "0", "--message-burst", "1"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        constexpr int kSent = 10;
        for (int i = 0; i < kSent; ++i)
            c.call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("message_created") + c.count("rate_limited") == kSent; }, 20000));
        QCOMPARE(c.count("message_created"), kSent);
        QVERIFY(stops(r));
    }

    void callRateFlagApplies()
    {
        // The same for calls of any kind: rate 0 is no limit, twenty at once with a burst of one.
        Running r = launchMemory({"--call-rate", "0", "--call-burst", "1"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        constexpr int kSent = 20;
        for (int i = 0; i < kSent; ++i)
            c.call("list_rooms");
        QVERIFY(QTest::qWaitFor(
            [&] { return c.count("rooms_listed") - 1 + c.count("rate_limited") == kSent; }, 20000));
        QCOMPARE(c.count("rooms_listed") - 1, kSent); // the first came with the welcome
        QVERIFY(stops(r));
    }

    void maxPendingBytesFlagApplies()
    {
        // Raised to 100 MB, a member that never reads keeps its connection while 8 MB wait for
        // it. Under the default (1 MB) it is cut off before that: the kernel takes at most its
        // send buffer (tcp_wmem, 4 MB) plus the reader's small window, the rest waits in the
        // server. (Cutting off itself: tst_server_hostile, through ServerOptions.)
        Running r = launchMemory({"--max-pending-bytes", "100000000", "--message-rate", "0",
                                  "--call-rate", "0", "--frame-rate", "0"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient talker;
        const QString room = openAndEnter(talker, r.url);
        QVERIFY(!room.isEmpty());
        auto reader = rawWebSocket(r.url, 4096);
        QVERIFY(reader);
        reader->setReadBufferSize(1024);
        rawEnterRoom(*reader, room);
        QVERIFY(waitForMembers(talker, 2));
        const QString body(3900, QLatin1Char('z'));
        constexpr int kMessages = 8 * 1024 * 1024 / 3900;
        for (int sent = 0; sent < kMessages;) {
            for (int i = 0; i < 64 && sent < kMessages; ++i, ++sent)
                talker.call("create_message", {{"body", body}});
            QVERIFY(talker.waitForCount("message_created", sent, 30000));
        }
        // A cut-off reader would have left the room before this answer is made.
        const auto rooms = talker.request("list_rooms");
        QCOMPARE(answerName(rooms), QStringLiteral("rooms_listed"));
        QCOMPARE(
            rooms->payload.value("list").toArray()[0].toObject().value("users").toArray().size(),
            2);
        QVERIFY(reader->state() == QAbstractSocket::ConnectedState);
        QVERIFY(stops(r));
    }

    void limitFlagsApply()
    {
        // The flags reach the server: one room at most, one message per burst.
        Running r = launch({"--port", "0", "--storage", "memory", "--max-rooms", "1",
                            "--message-rate", "0.01", "--message-burst", "1", "--max-name", "5"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        QVERIFY(enterRoom(c, createRoom(c)));
        auto refused = c.request("create_room");
        QVERIFY(refused);
        QCOMPARE(refused->name, QStringLiteral("too_many_rooms"));
        QCOMPARE(answerName(say(c, "one")), QStringLiteral("message_created"));
        auto limited = say(c, "two");
        QVERIFY(limited);
        QCOMPARE(limited->name, QStringLiteral("rate_limited"));
        auto longName = c.request("change_user_name", {{"name", "sixsix"}});
        QVERIFY(longName);
        QCOMPARE(longName->name, QStringLiteral("data_too_long"));
        r.process->terminate();
        QCOMPARE(finish(*r.process), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerFlags)
#include "tst_server_flags.moc"
