// Own messages over real sockets (docs/PROTOCOL.md "Own messages"): an author edits and
// deletes its message and every member sees it at once and in history; someone else's is
// refused (not_your_message), a direct conversation's message is out of reach for a third user
// (not_a_member); a reply carries a quote of the message it answers, as that message is now;
// a deleted message no longer counts as unread. Runs again on SQLite.
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

namespace {

std::optional<Statement> edit(TestClient &c, const QString &uuid, const QString &body)
{
    return c.request("edit_message", {{"message_uuid", uuid}, {"body", body}});
}

std::optional<Statement> remove(TestClient &c, const QString &uuid)
{
    return c.request("delete_message", {{"message_uuid", uuid}});
}

std::optional<Statement> reply(TestClient &c, const QString &body, const QString &to)
{
    return c.request("create_message", {{"body", body}, {"reply_to", to}});
}

QString uuidOf(const std::optional<Statement> &ack)
{
    return ack ? ack->object().value("uuid").toString() : QString();
}

// The newest history page of `c`'s room, by message uuid.
QHash<QString, QJsonObject> history(TestClient &c)
{
    QHash<QString, QJsonObject> byUuid;
    const auto listed = c.request("list_messages");
    if (listed)
        for (const QJsonValue &v : listed->payload.value("list").toArray())
            byUuid.insert(v.toObject().value("uuid").toString(), v.toObject());
    return byUuid;
}

// `room`'s unread in a fresh rooms_listed of `c`; -1 when absent.
qint64 listedUnread(TestClient &c, const QString &room)
{
    const auto listed = c.request("list_rooms");
    if (listed)
        for (const QJsonValue &v : listed->payload.value("list").toArray())
            if (v.toObject().value("uuid").toString() == room)
                return qint64(v.toObject().value("unread").toDouble(-1));
    return -1;
}

QString anyUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class TestServerOwnMessages : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void anEditIsSeenByTheOtherMemberAndInHistory()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        QVERIFY(!openBothAndEnter(a, b, m_server.url()).isEmpty());
        const QString uuid = uuidOf(say(a, "helo"));
        QVERIFY(!uuid.isEmpty());
        b.skipAll();

        const auto changed = edit(a, uuid, "  hello, fixed  ");
        QCOMPARE(answerName(changed), QStringLiteral("message_changed"));
        const QJsonObject mine = changed->object();
        QCOMPARE(mine.value("uuid").toString(), uuid);
        QCOMPARE(mine.value("body").toString(), QStringLiteral("hello, fixed")); // trimmed
        QVERIFY(mine.value("edited_at").isString());
        QVERIFY(!mine.contains("deleted"));

        const auto seen = b.waitFor("message_changed");
        QVERIFY(seen);
        QCOMPARE(seen->object().value("uuid").toString(), uuid);
        QCOMPARE(seen->object().value("body").toString(), QStringLiteral("hello, fixed"));
        QCOMPARE(seen->object().value("edited_at").toString(), mine.value("edited_at").toString());
        QVERIFY(!seen->payload.contains("client_id")); // the caller's own copy only

        const QJsonObject stored = history(b).value(uuid);
        QCOMPARE(stored.value("body").toString(), QStringLiteral("hello, fixed"));
        QCOMPARE(stored.value("edited_at").toString(), mine.value("edited_at").toString());
        // An unedited message carries no edited_at.
        const QString plain = uuidOf(say(b, "never edited"));
        QVERIFY(!history(a).value(plain).contains("edited_at"));
    }

    void aDeleteLeavesATombstoneSeenByEveryone()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        const QString room = openBothAndEnter(a, b, m_server.url());
        QVERIFY(!room.isEmpty());
        const QString gone = uuidOf(say(a, "oops, wrong room"));
        const QString kept = uuidOf(say(a, "this stays"));
        QVERIFY(!gone.isEmpty() && !kept.isEmpty());
        b.skipAll();

        const auto deleted = remove(a, gone);
        QCOMPARE(answerName(deleted), QStringLiteral("message_deleted"));
        QCOMPARE(deleted->payload.value("room_uuid").toString(), room);
        QCOMPARE(deleted->payload.value("message_uuid").toString(), gone);
        const auto seen = b.waitFor("message_deleted");
        QVERIFY(seen);
        QCOMPARE(seen->payload.value("message_uuid").toString(), gone);
        QCOMPARE(seen->payload.value("room_uuid").toString(), room);

        // History keeps its place with nothing of what was said.
        const auto page = history(b);
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.value(gone).value("deleted").toBool(), true);
        QCOMPARE(page.value(gone).value("body").toString(), QString());
        QCOMPARE(page.value(kept).value("body").toString(), QStringLiteral("this stays"));
        QVERIFY(!page.value(kept).contains("deleted"));

        // Deleting again (a resend) answers the same, to the caller alone; editing cannot bring
        // it back.
        QCOMPARE(answerName(remove(a, gone)), QStringLiteral("message_deleted"));
        QCOMPARE(answerName(edit(a, gone, "back again")), QStringLiteral("already_deleted"));
        QCOMPARE(answerName(say(b, "still here")), QStringLiteral("message_created"));
        QCOMPARE(b.count("message_deleted"), 1);
        QCOMPARE(history(a).value(gone).value("body").toString(), QString());
    }

    void someoneElsesMessageIsRefused()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        QVERIFY(!openBothAndEnter(a, b, m_server.url()).isEmpty());
        const QString uuid = uuidOf(say(a, "mine"));
        QVERIFY(!uuid.isEmpty());
        const auto edited = edit(b, uuid, "yours now");
        QCOMPARE(answerName(edited), QStringLiteral("not_your_message"));
        QCOMPARE(edited->payload.value("field").toString(), QStringLiteral("message_uuid"));
        QCOMPARE(answerName(remove(b, uuid)), QStringLiteral("not_your_message"));
        const QJsonObject stored = history(a).value(uuid);
        QCOMPARE(stored.value("body").toString(), QStringLiteral("mine"));
        QVERIFY(!stored.contains("edited_at") && !stored.contains("deleted"));
        QCOMPARE(a.count("message_changed") + a.count("message_deleted"), 0);
    }

    void unknownMessagesAndBadBodiesAreRefused()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a;
        QVERIFY(!openAndEnter(a, m_server.url()).isEmpty());
        const QString uuid = uuidOf(say(a, "short"));
        QCOMPARE(answerName(edit(a, anyUuid(), "x")), QStringLiteral("no_such_message"));
        QCOMPARE(answerName(edit(a, "not-a-uuid", "x")), QStringLiteral("no_such_message"));
        QCOMPARE(answerName(remove(a, anyUuid())), QStringLiteral("no_such_message"));
        QCOMPARE(answerName(a.request("edit_message", {{"message_uuid", uuid}})),
                 QStringLiteral("not_sufficient_data"));
        QCOMPARE(answerName(edit(a, uuid, "   ")), QStringLiteral("bad_data"));
        // The body limit of create_message, at its exact value and one over.
        const int max = server::ServerOptions{}.limits.body;
        QCOMPARE(answerName(edit(a, uuid, QString(max + 1, 'y'))), QStringLiteral("data_too_long"));
        QCOMPARE(history(a).value(uuid).value("body").toString(), QStringLiteral("short"));
        QCOMPARE(answerName(edit(a, uuid, QString(max, 'x'))), QStringLiteral("message_changed"));
        QCOMPARE(history(a).value(uuid).value("body").toString().size(), max);
    }

    void aDirectConversationsMessageIsOutOfReachForOthers()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b, c;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(!openAndEnter(c, m_server.url()).isEmpty());
        QCOMPARE(answerName(a.request("open_direct", {{"user_uuid", b.userUuid()}})),
                 QStringLiteral("room_entered"));
        const QString uuid = uuidOf(say(a, "between us"));
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(answerName(edit(c, uuid, "mine")), QStringLiteral("not_a_member"));
        QCOMPARE(answerName(remove(c, uuid)), QStringLiteral("not_a_member"));
        // Replying needs the message in one's own room.
        QCOMPARE(answerName(reply(c, "me too", uuid)), QStringLiteral("not_a_member"));
        QCOMPARE(c.count("message_created"), 0);
        // Its author still may, even from outside the conversation.
        QVERIFY(a.request("leave_room"));
        QCOMPARE(answerName(edit(a, uuid, "between us two")), QStringLiteral("message_changed"));
        QCOMPARE(answerName(remove(a, uuid)), QStringLiteral("message_deleted"));
    }

    void aReplyQuotesTheMessageAsItIsNow()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        QVERIFY(!openBothAndEnter(a, b, m_server.url()).isEmpty());
        QVERIFY(a.request("change_user_name", {{"name", "Ann"}}));
        const QString longBody = QString(150, 'a') + QString(150, 'b');
        const QString original = uuidOf(say(a, longBody));
        QVERIFY(!original.isEmpty());
        a.skipAll();

        const auto answered = reply(b, "agreed", original);
        QCOMPARE(answerName(answered), QStringLiteral("message_created"));
        const QJsonObject r = answered->object();
        QCOMPARE(r.value("body").toString(), QStringLiteral("agreed"));
        QCOMPARE(r.value("reply_to").toString(), original);
        QCOMPARE(r.value("reply_to_sender").toString(), QStringLiteral("Ann"));
        // 199 characters of the body and an ellipsis: 200 in all.
        QCOMPARE(r.value("reply_to_text").toString(),
                 QString(150, 'a') + QString(49, 'b') + QChar(0x2026));
        const auto heard = a.waitFor("message_created");
        QVERIFY(heard);
        QCOMPARE(heard->object().value("reply_to").toString(), original);
        QCOMPARE(heard->object().value("reply_to_sender").toString(), QStringLiteral("Ann"));

        // History gives the quote of the original as it is now: edited, then deleted.
        const QString replyUuid = r.value("uuid").toString();
        QCOMPARE(answerName(edit(a, original, "short now")), QStringLiteral("message_changed"));
        QJsonObject listed = history(b).value(replyUuid);
        QCOMPARE(listed.value("reply_to_text").toString(), QStringLiteral("short now"));
        QVERIFY(!listed.contains("reply_to_deleted"));
        QCOMPARE(answerName(remove(a, original)), QStringLiteral("message_deleted"));
        listed = history(b).value(replyUuid);
        QCOMPARE(listed.value("reply_to").toString(), original);
        QCOMPARE(listed.value("reply_to_deleted").toBool(), true);
        QCOMPARE(listed.value("reply_to_text").toString(), QString());
        QCOMPARE(listed.value("body").toString(), QStringLiteral("agreed"));
        // A message without reply_to carries none of it (an original client sees no change).
        const QJsonObject plain = history(b).value(original);
        QVERIFY(!plain.contains("reply_to") && !plain.contains("reply_to_text"));
    }

    void aReplyNeedsAMessageOfTheSameRoomThatIsStillThere()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient a, b;
        QVERIFY(!openAndEnter(a, m_server.url()).isEmpty());
        const QString elsewhere = uuidOf(say(a, "in the first room"));
        QVERIFY(!openAndEnter(b, m_server.url()).isEmpty()); // a room of its own
        const auto other = reply(b, "hm", elsewhere);
        QCOMPARE(answerName(other), QStringLiteral("no_such_message"));
        QCOMPARE(other->payload.value("field").toString(), QStringLiteral("reply_to"));
        QCOMPARE(answerName(reply(b, "hm", anyUuid())), QStringLiteral("no_such_message"));
        const QString gone = uuidOf(say(b, "soon gone"));
        QCOMPARE(answerName(remove(b, gone)), QStringLiteral("message_deleted"));
        QCOMPARE(answerName(reply(b, "to nothing", gone)), QStringLiteral("already_deleted"));
        QCOMPARE(b.count("message_created"), 1); // only "soon gone" was stored
    }

    void editsAndDeletesTakeFromTheMessageBudget()
    {
        // A clock that stands still: a burst of 3 message changes, then nothing refills.
        server::ServerOptions options;
        options.clockMs = [] { return qint64(0); };
        options.messageBurst = 3;
        QVERIFY(m_server.start(options));
        TestClient a;
        QVERIFY(!openAndEnter(a, m_server.url()).isEmpty());
        const QString uuid = uuidOf(say(a, "draft"));
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(answerName(edit(a, uuid, "draft 2")), QStringLiteral("message_changed"));
        QCOMPARE(answerName(remove(a, uuid)), QStringLiteral("message_deleted"));
        const auto refused = remove(a, uuid);
        QCOMPARE(answerName(refused), QStringLiteral("rate_limited"));
        QCOMPARE(refused->payload.value("call").toString(), QStringLiteral("delete_message"));
        QCOMPARE(answerName(edit(a, uuid, "x")), QStringLiteral("rate_limited"));
        QCOMPARE(answerName(say(a, "more")), QStringLiteral("rate_limited"));
    }

    void aDeletedMessageNoLongerCountsAsUnread()
    {
        QVERIFY(m_server.start(withoutRateLimits()));
        TestClient writer, reader;
        const QString room = openBothAndEnter(writer, reader, m_server.url());
        QVERIFY(!room.isEmpty());
        QVERIFY(reader.request("leave_room")); // follows the room, reads nothing more
        const QString first = uuidOf(say(writer, "one"));
        QVERIFY(!uuidOf(say(writer, "two")).isEmpty());
        QCOMPARE(listedUnread(reader, room), 2);
        reader.skipAll();
        QCOMPARE(answerName(remove(writer, first)), QStringLiteral("message_deleted"));
        // Online, the reader hears the new count; asked again, storage agrees.
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Statement &s : reader.all("room_changed"))
                    if (s.object().value("uuid").toString() == room &&
                        s.object().value("unread").toInt(-1) == 1)
                        return true;
                return false;
            },
            TestClient::kTimeout));
        QCOMPARE(listedUnread(reader, room), 1);
        // The writer's own tombstones never counted for it and still do not.
        QCOMPARE(listedUnread(writer, room), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerOwnMessages)
#include "tst_server_own_messages.moc"
