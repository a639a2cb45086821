// What the server refuses and what it must not do: every size limit at its exact value
// (accepted) and one over (refused); another user's line; a storage that refuses writes
// (nothing acknowledged, nothing sent to others); 1001 on stop; resume into a deleted room;
// room_changed held for its interval. Each test fails when its one rule is broken.
#include "failing_storage.h"
#include "protocol/objects.h"
#include "server/storage/memory_storage.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {

QJsonObject stroke(const QString &uuid, const QJsonArray &xy, bool append = false)
{
    return {{"uuid", uuid}, {"points", xy}, {"color", "#000"}, {"tool", "pen"}, {"append", append}};
}

// The names of what `c` received from index `from` on.
QStringList namesSince(const TestClient &c, qsizetype from)
{
    QStringList names;
    for (qsizetype i = from; i < c.received().size(); ++i)
        names << c.received()[i].name;
    return names;
}

QJsonArray numbers(int count)
{
    QJsonArray a;
    for (int i = 0; i < count; ++i)
        a.append(i % 300);
    return a;
}

} // namespace

class TestServerRefusals : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void nonAuthorCannotAppendToAnotherUsersLine()
    {
        QVERIFY(m_server.start());
        TestClient author, other;
        const QString room = openAndEnter(author, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(other, m_server.url(), room), room);
        const QString line = protocol::newUuid();
        QCOMPARE(answerName(author.request("change_draw_line", stroke(line, points({1, 2})))),
                 QStringLiteral("draw_line_changed"));
        QVERIFY(other.waitFor("draw_line_changed"));
        const auto refused =
            other.request("change_draw_line", stroke(line, points({66, 66}), true));
        QVERIFY(refused);
        QCOMPARE(refused->name, QStringLiteral("not_your_line"));
        QCOMPARE(refused->payload.value("field").toString(), QStringLiteral("uuid"));
        // The line is as its author left it, for everyone.
        const auto board = author.request("get_drawing");
        QVERIFY(board);
        const QJsonArray lines = board->object().value("lines").toArray();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0].toObject().value("points").toArray(), points({1, 2}));
        QCOMPARE(author.count("draw_line_changed"), 1);
        QCOMPARE(other.count("draw_line_changed"), 1);
    }

    // Each server-side size limit at its value and one over, on small limits so the test is
    // quick; the validator's own limits at their defaults are in tst_protocol.
    void sizeLimitsAcceptTheExactValueAndRefuseOneMore()
    {
        server::ServerOptions options;
        options.limits.body = 10;
        options.limits.userName = 6;
        options.limits.roomName = 7;
        options.limits.pointsPerLine = 3; // six numbers
        options.limits.linesPerRoom = 2;
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));

        QCOMPARE(answerName(c.request("create_room", {{"name", QString(7, u'r')}})),
                 QStringLiteral("room_created"));
        QCOMPARE(answerName(c.request("create_room", {{"name", QString(8, u'r')}})),
                 QStringLiteral("data_too_long"));
        QCOMPARE(answerName(c.request("change_user_name", {{"name", QString(6, u'n')}})),
                 QStringLiteral("user_changed"));
        QCOMPARE(answerName(c.request("change_user_name", {{"name", QString(7, u'n')}})),
                 QStringLiteral("data_too_long"));
        const QString room = createRoom(c);
        QVERIFY(enterRoom(c, room));
        QCOMPARE(answerName(say(c, QString(10, u'b'))), QStringLiteral("message_created"));
        QCOMPARE(answerName(say(c, QString(11, u'b'))), QStringLiteral("data_too_long"));

        // Points: three pairs in one go; four refused.
        const QString line = protocol::newUuid();
        QCOMPARE(answerName(c.request("change_draw_line", stroke(line, numbers(6)))),
                 QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", stroke(line, numbers(8)))),
                 QStringLiteral("data_too_long"));
        // Appending up to exactly three pairs is fine; one pair more is refused.
        QCOMPARE(answerName(c.request("change_draw_line", stroke(line, numbers(4)))),
                 QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", stroke(line, numbers(2), true))),
                 QStringLiteral("draw_line_changed"));
        const auto over = c.request("change_draw_line", stroke(line, numbers(2), true));
        QCOMPARE(answerName(over), QStringLiteral("data_too_long"));
        QCOMPARE(over->payload.value("field").toString(), QStringLiteral("points"));
        const auto board = c.request("get_drawing");
        QVERIFY(board);
        QCOMPARE(board->object().value("lines").toArray()[0].toObject().value("points").toArray(),
                 points({0, 1, 2, 3, 0, 1}));

        // Lines: the second fits, the third does not.
        QCOMPARE(
            answerName(c.request("change_draw_line", stroke(protocol::newUuid(), points({1, 1})))),
            QStringLiteral("draw_line_changed"));
        QCOMPARE(
            answerName(c.request("change_draw_line", stroke(protocol::newUuid(), points({1, 1})))),
            QStringLiteral("too_many_lines"));
    }

    void refusedWritesAreNeitherAcknowledgedNorSent()
    {
        auto failing = std::make_shared<bool>(false);
        auto storage = m_server.runStorage(); // SQLite on the SQLite run
        QVERIFY(storage);
        QVERIFY(m_server.start({}, std::make_unique<FailingStorage>(std::move(storage), failing)));
        TestClient a, b, outside;
        const QString room = openAndEnter(a, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(b, m_server.url(), room), room);
        QVERIFY(outside.openAndWelcome(m_server.url()));
        const QString line = protocol::newUuid();
        QCOMPARE(answerName(a.request("change_draw_line", stroke(line, points({1, 2})))),
                 QStringLiteral("draw_line_changed"));
        QVERIFY(b.waitFor("draw_line_changed"));
        const QString empty = createRoom(a);
        QVERIFY(!empty.isEmpty());
        QVERIFY(outside.waitFor("room_created")); // it connected after the first
        const qsizetype markA = a.received().size(), markB = b.received().size(),
                        markOutside = outside.received().size();

        *failing = true;
        const auto refusedMessage = say(a, "never stored");
        QCOMPARE(answerName(refusedMessage), QStringLiteral("storage_failed"));
        QCOMPARE(refusedMessage->payload.value("call").toString(),
                 QStringLiteral("create_message"));
        QCOMPARE(answerName(a.request("change_draw_line", stroke(line, points({3, 4}), true))),
                 QStringLiteral("storage_failed"));
        QCOMPARE(
            answerName(a.request("change_draw_line", stroke(protocol::newUuid(), points({5, 6})))),
            QStringLiteral("storage_failed"));
        QCOMPARE(answerName(a.request("remove_draw_line", {{"uuid", line}})),
                 QStringLiteral("storage_failed"));
        QCOMPARE(answerName(a.request("reset_drawing")), QStringLiteral("storage_failed"));
        QCOMPARE(answerName(a.request("create_room", {{"name", "never"}})),
                 QStringLiteral("storage_failed"));
        QCOMPARE(answerName(a.request("change_name", {{"uuid", room}, {"name", "never"}})),
                 QStringLiteral("storage_failed"));
        QCOMPARE(answerName(a.request("delete_room", {{"uuid", empty}})),
                 QStringLiteral("storage_failed"));
        *failing = false;

        // After a write that works, which all three see, nothing of the refused ones came.
        QCOMPARE(answerName(say(a, "stored")), QStringLiteral("message_created"));
        const auto heard = b.waitFor("message_created");
        QVERIFY(heard);
        QCOMPARE(heard->object().value("body").toString(), QStringLiteral("stored"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto changes = outside.all("room_changed");
                return !changes.isEmpty() && changes.last().object().value("sum").toInt() == 1;
            },
            10000));
        const QList<QPair<TestClient *, qsizetype>> marks{
            {&a, markA}, {&b, markB}, {&outside, markOutside}};
        for (const auto &[c, mark] : marks) {
            const QStringList names = namesSince(*c, mark);
            QCOMPARE(names.count("message_created"), c == &outside ? 0 : 1);
            for (const char *never : {"draw_line_changed", "draw_line_removed", "drawing_got",
                                      "room_created", "room_deleted"})
                QVERIFY2(!names.contains(QLatin1String(never)), never);
            for (const Statement &s : c->all("room_changed"))
                QVERIFY(s.object().value("name").toString() != QLatin1String("never"));
        }
        // Nor is the board changed by them: the one stored line, as stored.
        const auto board = b.request("get_drawing");
        QVERIFY(board);
        const QJsonArray lines = board->object().value("lines").toArray();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.first().toObject().value("uuid").toString(), line);
        QCOMPARE(lines.first().toObject().value("points").toArray(), (QJsonArray{1, 2}));
        const auto history = a.request("list_messages");
        QVERIFY(history);
        QCOMPARE(history->payload.value("list").toArray().size(), 1);
        const auto rooms = a.request("list_rooms");
        QVERIFY(rooms);
        QCOMPARE(rooms->payload.value("list").toArray().size(), 2);
    }

    void stopClosesEveryConnectionWith1001()
    {
        QVERIFY(m_server.start());
        TestClient inRoom, outside;
        QVERIFY(!openAndEnter(inRoom, m_server.url()).isEmpty());
        QVERIFY(outside.openAndWelcome(m_server.url()));
        m_server.stop();
        QVERIFY(inRoom.waitClosed());
        QVERIFY(outside.waitClosed());
        QCOMPARE(inRoom.closeCode(), int(QWebSocketProtocol::CloseCodeGoingAway));
        QCOMPARE(outside.closeCode(), int(QWebSocketProtocol::CloseCodeGoingAway));
    }

    void resumeIntoADeletedRoomLeavesTheUserOutside()
    {
        QVERIFY(m_server.start());
        TestClient first, other;
        QVERIFY(other.openAndWelcome(m_server.url()));
        const QString room = openAndEnter(first, m_server.url());
        QVERIFY(!room.isEmpty());
        const QString token = first.token();
        const QString uuid = first.userUuid();
        QVERIFY(!token.isEmpty());
        first.close();
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
        QCOMPARE(answerName(other.request("delete_room", {{"uuid", room}})),
                 QStringLiteral("room_deleted"));

        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        const auto resumed = again.request("resume", {{"token", token}});
        QCOMPARE(answerName(resumed), QStringLiteral("resumed"));
        QCOMPARE(resumed->object().value("uuid").toString(), uuid);
        QVERIFY(resumed->object().value("room_uuid").isNull());
        // In no room: a message is refused, and no room answer came.
        QCOMPARE(answerName(say(again, "where am I")), QStringLiteral("no_selected_room"));
        QCOMPARE(again.count("room_entered"), 0);
        QCOMPARE(again.count("drawing_got"), 0);
    }

    void roomChangedWaitsForItsInterval()
    {
        // An interval far longer than the test: room_changed must not go out before it,
        // however many changes and round trips come meanwhile.
        server::ServerOptions options;
        options.roomChangeCoalesceMs = 10 * 60 * 1000;
        QVERIFY(m_server.start(options));
        TestClient a, outside;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(outside.openAndWelcome(m_server.url()));
        const QString room = createRoom(a);
        QVERIFY(!room.isEmpty());
        QVERIFY(outside.waitFor("room_created"));
        a.call("change_name", {{"uuid", room}, {"name", "renamed"}}); // no direct answer
        a.call("change_color", {{"uuid", room}, {"color", "#123456"}});
        // Two more round trips each way: a flush due "now" would have been written by then.
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(answerName(a.request("list_rooms")), QStringLiteral("rooms_listed"));
            QCOMPARE(answerName(outside.request("list_rooms")), QStringLiteral("rooms_listed"));
        }
        QCOMPARE(a.count("room_changed"), 0);
        QCOMPARE(outside.count("room_changed"), 0);
        // The change itself is there for whoever asks.
        const QJsonArray listed =
            outside.all("rooms_listed").last().payload.value("list").toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].toObject().value("name").toString(), QStringLiteral("renamed"));
    }
};

QTEST_GUILESS_MAIN(TestServerRefusals)
#include "tst_server_refusals.moc"
