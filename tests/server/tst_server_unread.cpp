// Read markers and unread counts over real sockets (docs/PROTOCOL.md "Unread counts"): the
// counts in rooms_listed and room_changed are the connection's user's own; one's own messages
// never count; mark_read only moves forward and tells every connection of the user
// (unread_changed); a third user cannot mark another pair's direct conversation; a direct
// message counts for the other member from the conversation's start.
#include "server/password_hasher.h"
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

namespace {

std::optional<Statement> markRead(TestClient &c, const QString &room, const QString &message)
{
    return c.request("mark_read", {{"room_uuid", room}, {"message_uuid", message}});
}

// `room`'s unread in a fresh rooms_listed of `c`; -1 when absent.
qint64 listedUnread(TestClient &c, const QString &room)
{
    const auto listed = c.request("list_rooms");
    if (!listed)
        return -1;
    for (const QJsonValue &v : listed->payload.value("list").toArray()) {
        const QJsonObject o = v.toObject();
        if (o.value("uuid").toString() == room)
            return o.contains("unread") ? qint64(o.value("unread").toDouble()) : -1;
    }
    return -1;
}

// Whether `c` got a room_changed of `room` whose unread is `unread`.
bool waitForChangedUnread(TestClient &c, const QString &room, qint64 unread)
{
    return QTest::qWaitFor(
        [&] {
            for (const Statement &s : c.all("room_changed"))
                if (s.object().value("uuid").toString() == room &&
                    qint64(s.object().value("unread").toDouble(-1)) == unread)
                    return true;
            return false;
        },
        TestClient::kTimeout);
}

// Whether `c` got an unread_changed of `room` saying `unread` (one it did not ask for).
bool waitForUnreadChanged(TestClient &c, const QString &room, qint64 unread)
{
    return QTest::qWaitFor(
        [&] {
            for (const Statement &s : c.all("unread_changed"))
                if (s.payload.value("room_uuid").toString() == room &&
                    qint64(s.payload.value("unread").toDouble(-1)) == unread)
                    return true;
            return false;
        },
        TestClient::kTimeout);
}

QString messageUuid(const std::optional<Statement> &ack)
{
    return ack ? ack->object().value("uuid").toString() : QString();
}

} // namespace

class TestServerUnread : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void ownMessagesNeverCount()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(listedUnread(a, room), 0); // followed from where it was entered: nothing yet
        for (int i = 0; i < 5; ++i)
            QCOMPARE(answerName(say(a, QString("mine %1").arg(i))),
                     QStringLiteral("message_created"));
        QCOMPARE(answerName(say(b, "yours")), QStringLiteral("message_created"));
        QCOMPARE(listedUnread(a, room), 1); // b's only
        QCOMPARE(listedUnread(b, room), 5); // a's five, not its own
    }

    void markerNeverMovesBack()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        QStringList sent;
        for (int i = 0; i < 4; ++i)
            sent << messageUuid(say(b, QString("m%1").arg(i)));
        QCOMPARE(listedUnread(a, room), 4);
        const auto third = markRead(a, room, sent[2]);
        QCOMPARE(answerName(third), QStringLiteral("unread_changed"));
        QCOMPARE(third->payload.value("room_uuid").toString(), room);
        QCOMPARE(third->payload.value("unread").toInt(), 1);
        // An older message does not move it back.
        const auto first = markRead(a, room, sent[0]);
        QCOMPARE(answerName(first), QStringLiteral("unread_changed"));
        QCOMPARE(first->payload.value("unread").toInt(), 1);
        QCOMPARE(listedUnread(a, room), 1);
        const auto last = markRead(a, room, sent[3]);
        QCOMPARE(answerName(last), QStringLiteral("unread_changed"));
        QCOMPARE(last->payload.value("unread").toInt(), 0);
        QCOMPARE(listedUnread(a, room), 0);
        // Refusals: a message of no room, a room that is not there.
        QCOMPARE(answerName(markRead(a, room, QUuid::createUuid().toString(QUuid::WithoutBraces))),
                 QStringLiteral("no_such_message"));
        QCOMPARE(
            answerName(markRead(a, QUuid::createUuid().toString(QUuid::WithoutBraces), sent[0])),
            QStringLiteral("no_specified_room"));
        const QString other = createRoom(a);
        QCOMPARE(answerName(markRead(a, other, sent[0])), QStringLiteral("no_such_message"));
    }

    void twoConnectionsOfOneAccountAgree()
    {
        server::ServerOptions options = withoutRateLimits();
        options.passwordWork = server::PasswordHasher::minimumWork();
        QVERIFY(m_server.start(options));
        TestClient phone, laptop, other;
        QVERIFY(phone.openAndWelcome(m_server.url()));
        QVERIFY(laptop.openAndWelcome(m_server.url()));
        const QString room = openAndEnter(other, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(
            answerName(phone.request("register", {{"name", "Ann"}, {"password", "long enough"}})),
            QStringLiteral("registered"));
        QCOMPARE(
            answerName(laptop.request("login", {{"name", "ann"}, {"password", "long enough"}})),
            QStringLiteral("logged_in"));
        QVERIFY(enterRoom(phone, room)); // follows it from here
        QVERIFY(phone.request("leave_room"));
        QStringList sent;
        for (int i = 0; i < 3; ++i)
            sent << messageUuid(say(other, QString("hello %1").arg(i)));
        // Neither device is in the room: both hear the count in the coalesced room_changed.
        QVERIFY(waitForChangedUnread(phone, room, 3));
        QVERIFY(waitForChangedUnread(laptop, room, 3));
        QCOMPARE(listedUnread(laptop, room), 3);
        // The phone reads two: the laptop is told, unasked.
        laptop.skipAll();
        QCOMPARE(markRead(phone, room, sent[1])->payload.value("unread").toInt(), 1);
        QVERIFY(waitForUnreadChanged(laptop, room, 1));
        QCOMPARE(listedUnread(laptop, room), 1);
        QCOMPARE(listedUnread(phone, room), 1);
        // The other user's counts are its own (it wrote them all: none).
        QCOMPARE(other.count("unread_changed"), 0);
        QCOMPARE(listedUnread(other, room), 0);
    }

    void aThirdUserCannotMarkADirectConversation()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(c.openAndWelcome(m_server.url()));
        const auto opened = a.request("open_direct", {{"user_uuid", b.userUuid()}});
        QCOMPARE(answerName(opened), QStringLiteral("room_entered"));
        const QString direct = opened->object().value("uuid").toString();
        const QString said = messageUuid(say(a, "just for b"));
        QVERIFY(!said.isEmpty());
        // b never entered it: a direct conversation counts from its start.
        QVERIFY(waitForChangedUnread(b, direct, 1));
        QCOMPARE(listedUnread(b, direct), 1);
        const auto refused = markRead(c, direct, said);
        QCOMPARE(answerName(refused), QStringLiteral("not_a_member"));
        QCOMPARE(refused->payload.value("field").toString(), QStringLiteral("room_uuid"));
        QCOMPARE(listedUnread(b, direct), 1);
        QCOMPARE(markRead(b, direct, said)->payload.value("unread").toInt(), 0);
        QCOMPARE(listedUnread(b, direct), 0);
    }

    void roomChangedCarriesEachRecipientsOwnCount()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient writer, follower, stranger;
        const QString room = openAndEnter(writer, m_server.url());
        QVERIFY(!room.isEmpty());
        QVERIFY(follower.openAndWelcome(m_server.url()));
        QVERIFY(stranger.openAndWelcome(m_server.url()));
        QVERIFY(enterRoom(follower, room));
        QVERIFY(follower.request("leave_room"));
        QCOMPARE(answerName(say(writer, "one")), QStringLiteral("message_created"));
        QCOMPARE(answerName(say(writer, "two")), QStringLiteral("message_created"));
        QVERIFY(waitForChangedUnread(follower, room, 2));
        // Never entered: it follows nothing there, and its room_changed carries no count (a
        // client counts such a room itself, from `sum`).
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : stranger.all("room_changed"))
                    if (s.object().value("uuid").toString() == room &&
                        s.object().value("sum").toInt() == 2)
                        return true;
                return false;
            },
            TestClient::kTimeout));
        for (const Statement &s : stranger.all("room_changed"))
            QVERIFY(!s.object().contains("unread"));
        QCOMPARE(listedUnread(stranger, room), -1);
    }
};

QTEST_GUILESS_MAIN(TestServerUnread)
#include "tst_server_unread.moc"
