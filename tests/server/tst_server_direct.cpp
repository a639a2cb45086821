// Direct conversations over real sockets (docs/PROTOCOL.md, "Direct conversations"): both
// users get the same room, created once; a third user can neither see it nor enter, rename,
// recolour or delete it by its uuid (not_a_member); a direct message reaches the other user
// wherever they are; block_user keeps the blocked user from opening or writing; a resumed
// identity gets its own direct rooms listed.
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

namespace {

std::optional<Statement> openDirect(TestClient &c, const QString &userUuid)
{
    return c.request("open_direct", {{"user_uuid", userUuid}});
}

// The room uuids of `c`'s latest rooms_listed (asked for now).
QStringList listedRooms(TestClient &c)
{
    const auto listed = c.request("list_rooms");
    QStringList uuids;
    if (listed)
        for (const QJsonValue &v : listed->payload.value("list").toArray())
            uuids << v.toObject().value("uuid").toString();
    return uuids;
}

// The results `c` received that name `roomUuid` (as the object or in a list).
int mentions(const TestClient &c, const QString &roomUuid)
{
    int n = 0;
    for (const Statement &s : c.received())
        n += !s.isError() && s.text.contains(roomUuid) ? 1 : 0;
    return n;
}

} // namespace

class TestServerDirect : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void bothMembersGetTheSameRoomCreatedOnce()
    {
        QVERIFY(m_server.start());
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const auto opened = openDirect(a, b.userUuid());
        QCOMPARE(answerName(opened), QStringLiteral("room_entered"));
        const QJsonObject room = opened->object();
        const QString uuid = room.value("uuid").toString();
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(room.value("direct").toBool(), true);
        QStringList members;
        for (const QJsonValue &v : room.value("members").toArray())
            members << v.toString();
        members.sort();
        QStringList expected{a.userUuid(), b.userUuid()};
        expected.sort();
        QCOMPARE(members, expected);
        // The other member hears of it without being in it.
        const auto created = b.waitFor("room_created");
        QVERIFY(created);
        QCOMPARE(created->object().value("uuid").toString(), uuid);
        // The other side opens the same room; nothing new is created.
        const auto again = openDirect(b, a.userUuid());
        QCOMPARE(answerName(again), QStringLiteral("room_entered"));
        QCOMPARE(again->object().value("uuid").toString(), uuid);
        QCOMPARE(a.count("room_created"), 1);
        QCOMPARE(b.count("room_created"), 1);
        QCOMPARE(listedRooms(a).count(uuid), 1);
        QCOMPARE(listedRooms(b).count(uuid), 1);
        // Opened again by the first: the same room still.
        QCOMPARE(openDirect(a, b.userUuid())->object().value("uuid").toString(), uuid);
    }

    void aThirdUserCannotSeeOrUseItByUuid()
    {
        QVERIFY(m_server.start());
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString lobby = openAndEnter(c, m_server.url());
        QVERIFY(!lobby.isEmpty());
        const auto opened = openDirect(a, b.userUuid());
        QCOMPARE(answerName(opened), QStringLiteral("room_entered"));
        const QString uuid = opened->object().value("uuid").toString();
        QCOMPARE(answerName(say(a, "between us")), QStringLiteral("message_created"));
        // b hears the count change; c, whose list_rooms comes after that, never heard of it.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const Statement &s : b.all("room_changed"))
                    if (s.object().value("uuid").toString() == uuid &&
                        s.object().value("sum").toInt() == 1)
                        return true;
                return false;
            }(),
            10000);
        QVERIFY(!listedRooms(c).contains(uuid));
        QCOMPARE(mentions(c, uuid), 0);

        const QJsonObject byUuid{{"uuid", uuid}};
        QCOMPARE(answerName(c.request("enter_room", byUuid)), QStringLiteral("not_a_member"));
        QCOMPARE(answerName(c.request("change_name", {{"uuid", uuid}, {"name", "mine now"}})),
                 QStringLiteral("not_a_member"));
        QCOMPARE(answerName(c.request("change_color", {{"uuid", uuid}, {"color", "#123"}})),
                 QStringLiteral("not_a_member"));
        QCOMPARE(answerName(c.request("delete_room", byUuid)), QStringLiteral("not_a_member"));
        // c is still in its own room: reading and drawing act there, never on the direct room.
        const auto page = c.request("list_messages");
        QCOMPARE(answerName(page), QStringLiteral("messages_listed"));
        QVERIFY(!page->text.contains("between us"));
        c.call("change_draw_line", {{"uuid", QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                    {"points", points({1, 2, 3, 4})},
                                    {"color", "#000"},
                                    {"tool", "pen"}});
        QVERIFY(c.waitFor("draw_line_changed"));
        a.skipAll();
        QCOMPARE(answerName(a.request("get_drawing")), QStringLiteral("drawing_got"));
        QCOMPARE(a.all("drawing_got").last().object().value("lines").toArray().size(), 0);
        // The room is unchanged for its members, and c still never heard of it.
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(mentions(c, uuid), 0);
        const auto entered = openDirect(b, a.userUuid());
        QCOMPARE(entered->object().value("name").toString(),
                 opened->object().value("name").toString());
        QCOMPARE(entered->object().value("sum").toInt(), 1);
    }

    void aDirectMessageReachesTheOtherWhereverTheyAre()
    {
        QVERIFY(m_server.start());
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        const QString elsewhere = openAndEnter(b, m_server.url());
        QVERIFY(!elsewhere.isEmpty());
        const auto opened = openDirect(a, b.userUuid());
        const QString uuid = opened->object().value("uuid").toString();
        QCOMPARE(answerName(say(a, "are you there?")), QStringLiteral("message_created"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const Statement &s : b.all("room_changed"))
                    if (s.object().value("uuid").toString() == uuid &&
                        s.object().value("sum").toInt() == 1)
                        return true;
                return false;
            }(),
            10000);
        // b opens it and reads the message.
        b.skipAll();
        QCOMPARE(answerName(openDirect(b, a.userUuid())), QStringLiteral("room_entered"));
        const auto page = b.waitFor("messages_listed");
        QVERIFY(page);
        QVERIFY(page->text.contains("are you there?"));
    }

    void aBlockedUserCannotOpenOrWrite()
    {
        QVERIFY(m_server.start());
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(openDirect(b, a.userUuid())), QStringLiteral("room_entered"));
        const auto blocked = a.request("block_user", {{"user_uuid", b.userUuid()}});
        QCOMPARE(answerName(blocked), QStringLiteral("user_blocked"));
        QCOMPARE(blocked->payload.value("user_uuid").toString(), b.userUuid());
        QCOMPARE(answerName(say(b, "let me in")), QStringLiteral("blocked"));
        QCOMPARE(answerName(openDirect(b, a.userUuid())), QStringLiteral("blocked"));
        // The blocker may still open the conversation; the refused message was never stored.
        QCOMPARE(answerName(openDirect(a, b.userUuid())), QStringLiteral("room_entered"));
        const auto page = a.waitFor("messages_listed");
        QVERIFY(page);
        QCOMPARE(page->payload.value("list").toArray().size(), 0);
        // Unblocked: b writes again.
        QCOMPARE(answerName(a.request("unblock_user", {{"user_uuid", b.userUuid()}})),
                 QStringLiteral("user_unblocked"));
        QCOMPARE(answerName(say(b, "thanks")), QStringLiteral("message_created"));
        QVERIFY(a.waitFor("message_created"));
    }

    void refusesItselfAndUnknownUsers()
    {
        QVERIFY(m_server.start());
        TestClient a;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(openDirect(a, a.userUuid())), QStringLiteral("bad_data"));
        QCOMPARE(answerName(a.request("block_user", {{"user_uuid", a.userUuid()}})),
                 QStringLiteral("bad_data"));
        QCOMPARE(answerName(openDirect(a, "not a uuid")), QStringLiteral("bad_data"));
        QCOMPARE(answerName(openDirect(a, QUuid::createUuid().toString(QUuid::WithoutBraces))),
                 QStringLiteral("no_such_user"));
        QCOMPARE(listedRooms(a).size(), 0);
    }

    void aResumedIdentityGetsItsDirectRoomsListed()
    {
        QVERIFY(m_server.start());
        TestClient a, b;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        const QString uuid = openDirect(a, b.userUuid())->object().value("uuid").toString();
        QVERIFY(!uuid.isEmpty());
        // A second device of a: welcomed as a new user (no direct room), then resumed.
        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        QCOMPARE(mentions(again, uuid), 0);
        again.skipAll();
        QCOMPARE(answerName(again.request("resume", {{"token", a.token()}})),
                 QStringLiteral("resumed"));
        const auto listed = again.waitFor("rooms_listed");
        QVERIFY(listed);
        QVERIFY(listed->text.contains(uuid));
    }
};

QTEST_GUILESS_MAIN(TestServerDirect)
#include "tst_server_direct.moc"
