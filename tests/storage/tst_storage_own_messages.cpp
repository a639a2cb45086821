// Own messages, one behaviour for every storage (tst_storage_conformance's split: that file
// is full): messageByUuid, editMessage and deleteMessage by the author only, tombstones that
// keep their place in history and the room's sum but leave the unread counts, and reply quotes
// that follow the replied-to message as it is now. Runs on MemoryStorage and SqliteStorage.
#include "server/storage/memory_storage.h"
#include "server/storage/sqlite_storage.h"
#include "storage_test_util.h"

#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace chalk::server;
using namespace chalk::server::test;
using chalk::protocol::Message;
using chalk::protocol::Room;
using chalk::protocol::User;

class OwnMessagesConformance : public QObject {
    Q_OBJECT
protected:
    virtual std::unique_ptr<Storage> make() = 0;
    std::unique_ptr<Storage> s;
    QTemporaryDir dir;
    const User ann{"u-ann", "ann", {}};
    const User bob{"u-bob", "bob", {}};

    Room addRoom()
    {
        const Room r = makeRoom("room");
        if (!run(s->createRoom(r)))
            qFatal("createRoom failed: %s", qPrintable(s->lastError()));
        return r;
    }
    Message add(const Room &room, const User &user, const QString &body,
                const QString &replyTo = {})
    {
        Message m = makeMessage(room.uuid, user, body);
        m.replyTo = replyTo;
        const auto stored = run(s->addMessage(m));
        if (!stored)
            qFatal("addMessage failed: %s", qPrintable(s->lastError()));
        return stored->message;
    }
    Message newest(const Room &room, int back = 0)
    {
        const auto page = answer(s->listMessages(room.uuid, QString(), 50));
        return page->messages.at(page->messages.size() - 1 - back);
    }

private slots:
    void init()
    {
        QVERIFY(dir.isValid());
        s = make();
        QVERIFY2(run(s->open()), qPrintable(s->lastError()));
    }
    void cleanup() { s.reset(); }

    void findsAMessageByUuidInAnyRoom()
    {
        const Room room = addRoom();
        const Message m = add(room, ann, "hello");
        const MessageLookup found = run(s->messageByUuid(m.uuid));
        QVERIFY(!found.failed);
        QVERIFY(found.message);
        QCOMPARE(found.message->roomUuid, room.uuid);
        QCOMPARE(found.message->user.uuid, ann.uuid);
        QCOMPARE(found.message->body, QString("hello"));
        QCOMPARE(found.message->seq, m.seq);
        const MessageLookup none = run(s->messageByUuid(chalk::protocol::newUuid()));
        QVERIFY(!none.failed);
        QVERIFY(!none.message);
    }

    void theAuthorEditsAndOthersCannot()
    {
        const Room room = addRoom();
        const Message m = add(room, ann, "helo");
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(1790000000123, Qt::UTC);
        const ChangedMessage refused = run(s->editMessage(m.uuid, bob.uuid, "bob was here", when));
        QCOMPARE(refused.result, MessageChange::NotYours);
        QCOMPARE(newest(room).body, QString("helo"));
        QVERIFY(!newest(room).editedAt.isValid());

        const ChangedMessage edited = run(s->editMessage(m.uuid, ann.uuid, "hello", when));
        QCOMPARE(edited.result, MessageChange::Changed);
        QCOMPARE(edited.message.uuid, m.uuid);
        QCOMPARE(edited.message.body, QString("hello"));
        QCOMPARE(edited.message.editedAt, when);
        QCOMPARE(edited.message.created, m.created);
        const Message listed = newest(room);
        QCOMPARE(listed.body, QString("hello"));
        QCOMPARE(listed.editedAt, when);
        QCOMPARE(listed.seq, m.seq); // an edit does not move it
        QCOMPARE(run(s->editMessage(chalk::protocol::newUuid(), ann.uuid, "x", when)).result,
                 MessageChange::NoSuchMessage);
    }

    void aDeletedMessageIsATombstone()
    {
        const Room room = addRoom();
        const Message first = add(room, ann, "first");
        const Message second = add(room, ann, "second");
        QCOMPARE(run(s->deleteMessage(first.uuid, bob.uuid)).result, MessageChange::NotYours);
        QCOMPARE(newest(room, 1).body, QString("first"));

        const ChangedMessage deleted = run(s->deleteMessage(first.uuid, ann.uuid));
        QCOMPARE(deleted.result, MessageChange::Changed);
        QVERIFY(deleted.message.deleted);
        QVERIFY(deleted.message.body.isEmpty());
        // Its place stays: paging before the second still finds it, the sum still counts it.
        const auto page = answer(s->listMessages(room.uuid, second.uuid, 10));
        QCOMPARE(page->messages.size(), 1);
        QCOMPARE(page->messages.first().uuid, first.uuid);
        QVERIFY(page->messages.first().deleted);
        QVERIFY(page->messages.first().body.isEmpty());
        QVERIFY(!answer(s->listMessages(room.uuid, first.uuid, 10))->hasMore);
        QCOMPARE(answer(s->listRooms())->first().sum, 2);

        // Again: Deleted, with the tombstone; an edit cannot bring it back.
        const ChangedMessage again = run(s->deleteMessage(first.uuid, ann.uuid));
        QCOMPARE(again.result, MessageChange::Deleted);
        QVERIFY(again.message.deleted);
        QCOMPARE(run(s->editMessage(first.uuid, ann.uuid, "back", QDateTime::currentDateTimeUtc()))
                     .result,
                 MessageChange::Deleted);
        QVERIFY(newest(room, 1).body.isEmpty());
        QCOMPARE(run(s->deleteMessage(chalk::protocol::newUuid(), ann.uuid)).result,
                 MessageChange::NoSuchMessage);
    }

    void aDeleteTakesTheEditAndTheReplyWithIt()
    {
        const Room room = addRoom();
        const Message original = add(room, bob, "question");
        const Message answer_ = add(room, ann, "answer", original.uuid);
        QVERIFY(run(s->editMessage(answer_.uuid, ann.uuid, "better answer",
                                   QDateTime::currentDateTimeUtc()))
                    .message.editedAt.isValid());
        QCOMPARE(run(s->deleteMessage(answer_.uuid, ann.uuid)).result, MessageChange::Changed);
        const Message tomb = newest(room);
        QVERIFY(tomb.deleted);
        QVERIFY(tomb.body.isEmpty());
        QVERIFY(!tomb.editedAt.isValid());
        QVERIFY(tomb.replyTo.isEmpty());
        QVERIFY(tomb.replyToText.isEmpty());
    }

    void deletedMessagesLeaveTheUnreadCounts()
    {
        const Room room = addRoom();
        QVERIFY(run(s->followRoom(bob.uuid, room.uuid)));
        const Message one = add(room, ann, "one");
        add(room, ann, "two");
        const Message own = add(room, bob, "bob's own");
        QCOMPARE(answer(s->unreadCounts(bob.uuid, room.uuid))->first().unread, 2);
        QCOMPARE(run(s->deleteMessage(one.uuid, ann.uuid)).result, MessageChange::Changed);
        QCOMPARE(answer(s->unreadCounts(bob.uuid, room.uuid))->first().unread, 1);
        // One's own deleted message never counted: nothing changes.
        QCOMPARE(run(s->deleteMessage(own.uuid, bob.uuid)).result, MessageChange::Changed);
        QCOMPARE(answer(s->unreadCounts(bob.uuid, room.uuid))->first().unread, 1);
        // A tombstone before the marker changes nothing either.
        QVERIFY(run(s->followRoom(ann.uuid, room.uuid)));
        const Message later = add(room, bob, "later");
        QCOMPARE(answer(s->unreadCounts(ann.uuid, room.uuid))->first().unread, 1);
        QCOMPARE(run(s->markRead(ann.uuid, room.uuid, later.uuid)), ReadMarked::Moved);
        QCOMPARE(run(s->deleteMessage(later.uuid, bob.uuid)).result, MessageChange::Changed);
        QCOMPARE(answer(s->unreadCounts(ann.uuid, room.uuid))->first().unread, 0);
        QCOMPARE(answer(s->unreadCounts(bob.uuid, room.uuid))->first().unread, 1);
    }

    void aReplyQuotesTheMessageAsItIsNow()
    {
        const Room room = addRoom();
        const Message original = add(room, bob, QString(300, 'q'));
        const Message reply = add(room, ann, "yes", original.uuid);
        QCOMPARE(reply.replyTo, original.uuid);
        QCOMPARE(reply.replyToSender, QString("bob"));
        QCOMPARE(reply.replyToText, QString(199, 'q') + QChar(0x2026));
        QVERIFY(!reply.replyToDeleted);
        QCOMPARE(run(s->messageByUuid(reply.uuid)).message->replyToText, reply.replyToText);

        QVERIFY(
            run(s->editMessage(original.uuid, bob.uuid, "short", QDateTime::currentDateTimeUtc()))
                .result == MessageChange::Changed);
        QCOMPARE(newest(room).replyToText, QString("short"));
        QCOMPARE(run(s->deleteMessage(original.uuid, bob.uuid)).result, MessageChange::Changed);
        const Message listed = newest(room);
        QCOMPARE(listed.replyTo, original.uuid);
        QCOMPARE(listed.replyToSender, QString("bob"));
        QVERIFY(listed.replyToDeleted);
        QVERIFY(listed.replyToText.isEmpty());
        QCOMPARE(listed.body, QString("yes"));
    }

    void aResentReplyKeepsItsQuote()
    {
        const Room room = addRoom();
        const Message original = add(room, bob, "original");
        Message m = makeMessage(room.uuid, ann, "reply", "c-1");
        m.replyTo = original.uuid;
        QVERIFY(run(s->addMessage(m)));
        const auto again = run(s->addMessage(m));
        QVERIFY(again);
        QVERIFY(again->duplicate);
        QCOMPARE(again->message.replyTo, original.uuid);
        QCOMPARE(again->message.replyToText, QString("original"));
    }
};

class MemoryOwnMessages : public OwnMessagesConformance {
    Q_OBJECT
protected:
    std::unique_ptr<Storage> make() override { return std::make_unique<MemoryStorage>(); }
};

class SqliteOwnMessages : public OwnMessagesConformance {
    Q_OBJECT
protected:
    std::unique_ptr<Storage> make() override
    {
        static int n = 0;
        return std::make_unique<SqliteStorage>(dir.filePath(QStringLiteral("o%1.db").arg(++n)));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    {
        MemoryOwnMessages memory;
        failures += QTest::qExec(&memory, argc, argv);
    }
    {
        SqliteOwnMessages sqlite;
        failures += QTest::qExec(&sqlite, argc, argv);
    }
    return failures;
}

#include "tst_storage_own_messages.moc"
