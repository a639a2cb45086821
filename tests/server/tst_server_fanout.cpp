// Who hears what: messages and lines only reach the room's members; room_changed is
// coalesced per room; room_created/room_deleted reach every connection; a disconnect leaves.
#include "gated_storage.h"
#include "protocol/objects.h"
#include "server/storage/memory_storage.h"
#include "server_steps.h"
#include "slow_storage.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {
QList<QJsonObject> roomChanges(const TestClient &c, const QString &room)
{
    QList<QJsonObject> out;
    for (const Statement &s : c.all(QStringLiteral("room_changed"))) {
        if (s.object().value(QLatin1String("uuid")).toString() == room)
            out.append(s.object());
    }
    return out;
}
} // namespace

class TestServerFanout : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void init()
    {
        server::ServerOptions options;
        options.roomChangeCoalesceMs = 300;
        QVERIFY2(m_server.start(options), qPrintable(m_server.server->errorString()));
    }
    void cleanup() { m_server.stop(); }

    void messagesReachMembersOnly()
    {
        TestClient a, b, outside;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(outside.openAndWelcome(m_server.url()));
        const QString room = createRoom(a), other = createRoom(a);
        QVERIFY(enterRoom(a, room));
        QVERIFY(enterRoom(b, room));
        QVERIFY(enterRoom(outside, other));

        QCOMPARE(answerName(say(a, "for members")), QStringLiteral("message_created"));
        QVERIFY(b.waitFor("message_created"));
        const QString line = protocol::newUuid();
        QCOMPARE(
            answerName(a.request(
                "change_draw_line",
                {{"uuid", line}, {"points", points({1, 1})}, {"color", "#000"}, {"tool", "pen"}})),
            QStringLiteral("draw_line_changed"));
        QVERIFY(b.waitFor("draw_line_changed"));
        // The outsider learns of the message only through the (coalesced) room change, which
        // is sent after the message itself: once it has it, a misdirected message would be here.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto changes = roomChanges(outside, room);
                return !changes.isEmpty() && changes.last().value("sum").toInt() == 1;
            },
            10000));
        QCOMPARE(outside.count("message_created"), 0);
        QCOMPARE(outside.count("draw_line_changed"), 0);
        QCOMPARE(a.count("message_created"), 1);
        QCOMPARE(b.count("message_created"), 1);
    }

    void roomChangedIsCoalesced()
    {
        // Twenty messages whose stores complete together (GatedStorage: one event, however
        // fast the machine) make one room_changed for a non-member, carrying all twenty. On
        // this run's storage: the SQLite run stores them on its thread.
        m_server.stop();
        auto gate = std::make_shared<GatedStorage::Gate>();
        server::ServerOptions options;
        options.roomChangeCoalesceMs = 300;
        auto storage = m_server.runStorage();
        QVERIFY(storage);
        QVERIFY(m_server.start(options, std::make_unique<GatedStorage>(std::move(storage), gate)));
        constexpr int kSenders = 20;
        TestClient outside;
        QVERIFY(outside.openAndWelcome(m_server.url()));
        std::vector<std::unique_ptr<TestClient>> senders;
        const QString room = createRoom(outside);
        QVERIFY(!room.isEmpty());
        for (int i = 0; i < kSenders; ++i) {
            senders.push_back(std::make_unique<TestClient>());
            QCOMPARE(openAndEnter(*senders.back(), m_server.url(), room), room);
        }
        // Every join has been announced before the messages start.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto changes = roomChanges(outside, room);
                return !changes.isEmpty() &&
                       changes.last().value("users").toArray().size() == kSenders;
            },
            10000));
        for (int i = 0; i < kSenders; ++i)
            senders[i]->call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        QVERIFY(QTest::qWaitFor([&] { return gate->waiting == kSenders; }, 10000));
        const qsizetype before = roomChanges(outside, room).size();
        QCOMPARE(roomChanges(outside, room).last().value("sum").toInt(), 0);
        gate->open();
        for (const auto &c : senders)
            QVERIFY(c->waitForCount("message_created", kSenders));
        QVERIFY(QTest::qWaitFor(
            [&] { return roomChanges(outside, room).last().value("sum").toInt() == kSenders; },
            10000));
        // One more round trip: a second room_changed would have come before its answer.
        QCOMPARE(answerName(outside.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(roomChanges(outside, room).size(), before + 1);
        // Members saw every message_created: a count-only change is not sent to them.
        const auto atMember = roomChanges(*senders.front(), room);
        QVERIFY(!atMember.isEmpty()); // the joins
        for (const QJsonObject &change : atMember)
            QCOMPARE(change.value("sum").toInt(), 0);
    }

    void roomCreatedAndDeletedReachEveryone()
    {
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(c.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(b.waitFor("room_created"));
        QVERIFY(c.waitFor("room_created"));
        QCOMPARE(answerName(a.request("delete_room", {{"uuid", room}})),
                 QStringLiteral("room_deleted"));
        const auto atB = b.waitFor("room_deleted");
        const auto atC = c.waitFor("room_deleted");
        QVERIFY(atB && atC);
        QCOMPARE(atC->object().value("uuid").toString(), room);
    }

    void disconnectLeavesTheRoom()
    {
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto changes = roomChanges(a, room);
                return !changes.isEmpty() && changes.last().value("users").toArray().size() == 2;
            },
            10000));
        b.close();
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto changes = roomChanges(a, room);
                return changes.last().value("users").toArray().size() == 1;
            },
            10000));
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
        // Nobody is left but a; a leaves and the room can go.
        QCOMPARE(answerName(a.request("leave_room")), QStringLiteral("room_left"));
        const auto deleted = a.request("delete_room", {{"uuid", room}});
        QVERIFY(deleted);
        QCOMPARE(deleted->name, QStringLiteral("room_deleted"));
    }

    void joinerSeesMessagesSentWhileEntering_data()
    {
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<bool>("lateAcks");
        QTest::newRow("memory") << 0 << false;
        QTest::newRow("slow storage") << 15 << false;
        QTest::newRow("stored, acknowledged late") << 15 << true;
    }

    void joinerSeesMessagesSentWhileEntering()
    {
        QFETCH(int, delayMs);
        QFETCH(bool, lateAcks);
        if (delayMs > 0) {
            m_server.stop();
            QVERIFY(m_server.start(
                {}, std::make_unique<SlowStorage>(std::make_unique<server::MemoryStorage>(),
                                                  std::chrono::milliseconds(delayMs), lateAcks)));
        }
        // Messages sent while a client enters are either in its first page or arrive after
        // it, never before room_entered and never twice.
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(enterRoom(a, room));
        for (int i = 0; i < 30; ++i)
            a.call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        b.skipAll();
        b.call("enter_room", {{"uuid", room}});
        QVERIFY(a.waitForCount("message_created", 30));
        const auto entered = b.waitFor("room_entered");
        QVERIFY(entered);
        const auto listed = b.waitFor("messages_listed");
        QVERIFY(listed);
        QSet<QString> seen;
        for (const QJsonValue &v : listed->payload.value("list").toArray())
            seen.insert(v.toObject().value("uuid").toString());
        const qsizetype firstPage = seen.size();
        QVERIFY(QTest::qWaitFor([&] { return firstPage + b.all("message_created").size() >= 30; },
                                10000));
        for (const Statement &s : b.all("message_created")) {
            const QString uuid = s.object().value("uuid").toString();
            QVERIFY2(!seen.contains(uuid), "a message came twice");
            seen.insert(uuid);
        }
        QCOMPARE(seen.size(), 30);
        // and nothing of the room came before room_entered
        for (qsizetype i = 0; i < b.received().size(); ++i) {
            if (b.received()[i].name == QLatin1String("room_entered"))
                break;
            QVERIFY(b.received()[i].name != QLatin1String("message_created"));
        }
    }

    void senderLeavesWhileItsMessageIsStored()
    {
        m_server.stop();
        QVERIFY(m_server.start(
            {}, std::make_unique<SlowStorage>(std::make_unique<server::MemoryStorage>(),
                                              std::chrono::milliseconds(200))));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        // typing needs no storage: once b hears it, the server has read the calls written
        // together with it (one flush, one segment) and is storing the first message.
        a.call("typing");
        for (int i = 0; i < 5; ++i)
            a.call("create_message", {{"body", QStringLiteral("m%1").arg(i)}});
        a.call("change_draw_line", {{"uuid", protocol::newUuid()},
                                    {"points", points({1, 1})},
                                    {"color", "#000"},
                                    {"tool", "pen"}});
        a.socket().flush();
        QVERIFY(b.waitFor("user_typing"));
        a.socket().abort(); // gone while its first message awaits storage
        // The message being stored is still delivered to the room; the server keeps serving.
        QVERIFY(b.waitFor("message_created"));
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
        QCOMPARE(answerName(say(b, "still here")), QStringLiteral("message_created"));
        const auto page = b.request("list_messages");
        QVERIFY(page);
        QVERIFY(page->payload.value("list").toArray().size() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestServerFanout)
#include "tst_server_fanout.moc"
