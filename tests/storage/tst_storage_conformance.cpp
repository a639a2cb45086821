// One behaviour, two storages: every test here runs against MemoryStorage and SqliteStorage
// (a fresh database file per test), so the server sees the same semantics from both.
#include "server/storage/memory_storage.h"
#include "server/storage/sqlite_storage.h"
#include "storage_test_util.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace chalk::server;
using namespace chalk::server::test;
using chalk::protocol::Line;
using chalk::protocol::Message;
using chalk::protocol::Room;
using chalk::protocol::User;
using chalk::server::AccountCreated;
using chalk::server::AccountLookup;
using chalk::server::ReadMarked;
using chalk::server::UnreadCount;

class StorageConformance : public QObject {
    Q_OBJECT
protected:
    virtual std::unique_ptr<Storage> make() = 0;
    std::unique_ptr<Storage> s;
    QTemporaryDir dir;

    Room addRoom(const QString &name, qint64 createdMs = 0)
    {
        const Room r = makeRoom(name, createdMs);
        if (!run(s->createRoom(r)))
            qFatal("createRoom failed: %s", qPrintable(s->lastError()));
        return r;
    }
    Message add(const Room &room, const User &user, const QString &body,
                const QString &clientId = {})
    {
        const auto stored = run(s->addMessage(makeMessage(room.uuid, user, body, clientId)));
        if (!stored)
            qFatal("addMessage failed: %s", qPrintable(s->lastError()));
        return stored->message;
    }
    std::optional<Room> roomById(const QString &uuid)
    {
        const auto rooms = run(s->listRooms());
        if (!rooms)
            return std::nullopt; // no answer: no room
        for (const Room &r : *rooms)
            if (r.uuid == uuid)
                return r;
        return std::nullopt;
    }
    static QStringList bodies(const QList<Message> &ms)
    {
        QStringList out;
        for (const Message &m : ms)
            out << m.body;
        return out;
    }
    static QStringList lineIds(const QList<Line> &ls)
    {
        QStringList out;
        for (const Line &l : ls)
            out << l.uuid;
        return out;
    }

private slots:
    void init()
    {
        QVERIFY(dir.isValid());
        s = make();
        QVERIFY2(run(s->open()), qPrintable(s->lastError()));
        QVERIFY(!s->describe().isEmpty());
    }
    void cleanup() { s.reset(); }

    void emptyStorage()
    {
        const auto rooms = run(s->listRooms());
        QVERIFY(rooms);
        QVERIFY(rooms->isEmpty());
        const auto page = run(s->listMessages(chalk::protocol::newUuid(), QString(), 50));
        QVERIFY(page);
        QVERIFY(page->messages.isEmpty());
        QVERIFY(!page->hasMore);
        QVERIFY(!run(s->userByTokenHash("nobody")));
    }

    void createAndListRooms()
    {
        const Room a = addRoom("alpha", 1000);
        const Room b = addRoom("beta", 2000);
        const auto rooms = run(s->listRooms());
        QVERIFY(rooms);
        QCOMPARE(rooms->size(), 2);
        QCOMPARE(rooms->at(0).uuid, a.uuid);
        QCOMPARE(rooms->at(0).name, QString("alpha"));
        QCOMPARE(rooms->at(0).color, QString("#5da247"));
        QCOMPARE(rooms->at(0).created.toMSecsSinceEpoch(), 1000);
        QCOMPARE(rooms->at(0).sum, 0);
        QVERIFY(rooms->at(0).users.isEmpty());
        QCOMPARE(rooms->at(1).uuid, b.uuid);
    }

    void roomsOrderedByCreationTime()
    {
        const Room late = addRoom("late", 5000);
        const Room early = addRoom("early", 1000);
        const Room tie1 = addRoom("tie1", 3000);
        const Room tie2 = addRoom("tie2", 3000);
        const auto rooms = run(s->listRooms());
        QStringList order;
        QVERIFY(rooms);
        for (const Room &r : *rooms)
            order << r.name;
        QCOMPARE(order, QStringList({"early", "tie1", "tie2", "late"}));
        Q_UNUSED(late);
        Q_UNUSED(early);
        Q_UNUSED(tie1);
        Q_UNUSED(tie2);
    }

    void createRoomRejectsDuplicatesAndEmptyUuid()
    {
        const Room a = addRoom("alpha");
        Room again = a;
        again.name = "other";
        QVERIFY(!run(s->createRoom(again)));
        QVERIFY(!s->lastError().isEmpty());
        Room noId = makeRoom("x");
        noId.uuid.clear();
        QVERIFY(!run(s->createRoom(noId)));
        QCOMPARE(answer(s->listRooms())->size(), 1);
        QCOMPARE(roomById(a.uuid)->name, QString("alpha"));
    }

    void updateRoom()
    {
        Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        a.name = "renamed";
        a.color = "#cf2e24";
        QVERIFY(run(s->updateRoom(a)));
        QCOMPARE(roomById(a.uuid)->name, QString("renamed"));
        QCOMPARE(roomById(a.uuid)->color, QString("#cf2e24"));
        QCOMPARE(roomById(b.uuid)->name, QString("beta"));
        Room ghost = makeRoom("ghost");
        QVERIFY(!run(s->updateRoom(ghost)));
        QCOMPARE(answer(s->listRooms())->size(), 2);
    }

    void deleteRoomRemovesMessagesAndLines()
    {
        const Room a = addRoom("alpha", 1000);
        const Room b = addRoom("beta", 2000);
        const User u = makeUser("ann");
        const Message inA = add(a, u, "in a", "cid-1");
        add(b, u, "in b");
        QVERIFY(run(s->upsertLine(a.uuid, makeLine({1, 2, 3, 4}))));
        const Line lineB = makeLine({5, 6});
        QVERIFY(run(s->upsertLine(b.uuid, lineB)));

        QVERIFY(run(s->deleteRoom(a.uuid)));
        QVERIFY(!roomById(a.uuid));
        QVERIFY(answer(s->listMessages(a.uuid, QString(), 50))->messages.isEmpty());
        QVERIFY(answer(s->lines(a.uuid))->isEmpty());
        QVERIFY(!run(s->listMessages(a.uuid, inA.uuid, 50))); // that message is gone
        QVERIFY(!run(s->addMessage(makeMessage(a.uuid, u, "late"))));
        QVERIFY(!run(s->deleteRoom(a.uuid)));

        // The other room is untouched.
        QCOMPARE(bodies(answer(s->listMessages(b.uuid, QString(), 50))->messages),
                 QStringList({"in b"}));
        QCOMPARE(roomById(b.uuid)->sum, 1);
        QCOMPARE(lineIds(*run(s->lines(b.uuid))), QStringList({lineB.uuid}));

        // Really gone: the same uuid recreated is empty and the client_id is free again.
        QVERIFY(run(s->createRoom(a)));
        QCOMPARE(roomById(a.uuid)->sum, 0);
        QVERIFY(answer(s->listMessages(a.uuid, QString(), 50))->messages.isEmpty());
        QVERIFY(answer(s->lines(a.uuid))->isEmpty());
        const auto again = run(s->addMessage(makeMessage(a.uuid, u, "again", "cid-1")));
        QVERIFY(again);
        QVERIFY(!again->duplicate);
        QVERIFY(again->message.uuid != inA.uuid);
    }

    void addMessageFillsInAndCounts()
    {
        const Room a = addRoom("alpha");
        const User u = makeUser("ann");
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const auto first = run(s->addMessage(makeMessage(a.uuid, u, "hello")));
        QVERIFY(first);
        QVERIFY(!first->duplicate);
        const Message &m = first->message;
        QVERIFY(!chalk::protocol::normalizeUuid(m.uuid).isEmpty());
        QVERIFY(m.seq > 0);
        QVERIFY(m.created.isValid());
        QVERIFY(m.created.toMSecsSinceEpoch() >= before);
        QCOMPARE(m.user.uuid, u.uuid);
        QCOMPARE(m.user.name, QString("ann"));
        QCOMPARE(m.user.roomUuid, a.uuid);
        QCOMPARE(m.roomUuid, a.uuid);
        QCOMPARE(m.body, QString("hello"));
        const Message second = add(a, u, "again");
        QVERIFY(second.seq > m.seq);
        QVERIFY(second.uuid != m.uuid);
        QCOMPARE(roomById(a.uuid)->sum, 2);
    }

    void addMessageKeepsGivenFields()
    {
        const Room a = addRoom("alpha");
        Message m =
            makeMessage(a.uuid, makeUser("zoë"), QString::fromUtf8("ünï 😀 <b>x</b>"), "client-7");
        m.uuid = chalk::protocol::newUuid();
        m.created = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
        const auto stored = run(s->addMessage(m));
        QVERIFY(stored);
        const auto page = run(s->listMessages(a.uuid, QString(), 10));
        QVERIFY(page);
        QCOMPARE(page->messages.size(), 1);
        const Message &got = page->messages.first();
        QCOMPARE(got.uuid, m.uuid);
        QCOMPARE(got.body, m.body);
        QCOMPARE(got.created.toMSecsSinceEpoch(), 1'700'000'000'123);
        QCOMPARE(got.clientId, QString("client-7"));
        QCOMPARE(got.user.name, QString::fromUtf8("zoë"));
        QCOMPARE(got.user.roomUuid, a.uuid);
        QCOMPARE(got.seq, stored->message.seq);
        QCOMPARE(got.created, stored->message.created);
    }

    void addMessageFailures()
    {
        const Room a = addRoom("alpha");
        const User u = makeUser("ann");
        QVERIFY(!run(s->addMessage(makeMessage(chalk::protocol::newUuid(), u, "nowhere"))));
        const Message m = add(a, u, "one");
        Message sameUuid = makeMessage(a.uuid, u, "two");
        sameUuid.uuid = m.uuid;
        QVERIFY(!run(s->addMessage(sameUuid)));
        QCOMPARE(roomById(a.uuid)->sum, 1);
        QCOMPARE(answer(s->listMessages(a.uuid, QString(), 10))->messages.size(), 1);
    }

    void idempotentClientId()
    {
        const Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        const User ann = makeUser("ann");
        const User bob = makeUser("bob");
        const Message first = add(a, ann, "hi", "c1");
        const auto resend = run(s->addMessage(makeMessage(a.uuid, ann, "hi", "c1")));
        QVERIFY(resend);
        QVERIFY(resend->duplicate);
        QCOMPARE(resend->message.uuid, first.uuid);
        QCOMPARE(resend->message.seq, first.seq);
        QCOMPARE(resend->message.clientId, QString("c1"));
        // Even a resend into another room answers with the stored one.
        const auto elsewhere = run(s->addMessage(makeMessage(b.uuid, ann, "hi", "c1")));
        QVERIFY(elsewhere && elsewhere->duplicate);
        QCOMPARE(elsewhere->message.roomUuid, a.uuid);
        // Other users, other ids, and no id at all are new messages.
        QVERIFY(!answer(s->addMessage(makeMessage(a.uuid, bob, "hi", "c1")))->duplicate);
        QVERIFY(!answer(s->addMessage(makeMessage(a.uuid, ann, "hi", "c2")))->duplicate);
        QVERIFY(!answer(s->addMessage(makeMessage(a.uuid, ann, "plain")))->duplicate);
        QVERIFY(!answer(s->addMessage(makeMessage(a.uuid, ann, "plain")))->duplicate);
        QCOMPARE(roomById(a.uuid)->sum, 5);
        QCOMPARE(roomById(b.uuid)->sum, 0);
        QCOMPARE(answer(s->listMessages(a.uuid, QString(), 50))->messages.size(), 5);
    }

    void paging()
    {
        const Room a = addRoom("alpha");
        const Room other = addRoom("other");
        const User u = makeUser("ann");
        QList<Message> all;
        for (int i = 1; i <= 25; ++i) {
            all << add(a, u, QString::number(i));
            add(other, u, QStringLiteral("o%1").arg(i)); // interleaved, must not show up
        }
        auto expect = [&](int from, int to) {
            QStringList out;
            for (int i = from; i <= to; ++i)
                out << QString::number(i);
            return out;
        };
        const auto p1 = run(s->listMessages(a.uuid, QString(), 10));
        QVERIFY(p1);
        QCOMPARE(bodies(p1->messages), expect(16, 25));
        QVERIFY(p1->hasMore);
        const auto p2 = run(s->listMessages(a.uuid, p1->messages.first().uuid, 10));
        QVERIFY(p2);
        QCOMPARE(bodies(p2->messages), expect(6, 15));
        QVERIFY(p2->hasMore);
        const auto p3 = run(s->listMessages(a.uuid, p2->messages.first().uuid, 10));
        QVERIFY(p3);
        QCOMPARE(bodies(p3->messages), expect(1, 5));
        QVERIFY(!p3->hasMore);
        const auto p4 = run(s->listMessages(a.uuid, p3->messages.first().uuid, 10));
        QVERIFY(p4);
        QVERIFY(p4->messages.isEmpty());
        QVERIFY(!p4->hasMore);
        // Exactly `limit` left: no more.
        const auto exact = run(s->listMessages(a.uuid, all[10].uuid, 10));
        QVERIFY(exact);
        QCOMPARE(bodies(exact->messages), expect(1, 10));
        QVERIFY(!exact->hasMore);
        const auto none = run(s->listMessages(a.uuid, QString(), 0));
        QVERIFY(none);
        QVERIFY(none->messages.isEmpty());
        QVERIFY(none->hasMore);
    }

    void pagingWithUnknownBefore()
    {
        const Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        const User u = makeUser("ann");
        add(a, u, "a1");
        const Message inB = add(b, u, "b1");
        QVERIFY(!run(s->listMessages(a.uuid, chalk::protocol::newUuid(), 10)));
        QVERIFY(!run(s->listMessages(a.uuid, inB.uuid, 10)));
        QVERIFY(run(s->listMessages(b.uuid, inB.uuid, 10)));
    }

    void linesUpsertKeepsOrder()
    {
        const Room a = addRoom("alpha");
        Line l1 = makeLine({0.5, -1.25, 1279.75, 719.0});
        l1.userUuid = chalk::protocol::newUuid();
        const Line l2 = makeLine({10, 10});
        const Line l3 = makeLine({20, 20, 30, 30});
        for (const Line &l : {l1, l2, l3})
            QVERIFY(run(s->upsertLine(a.uuid, l)));
        auto got = *run(s->lines(a.uuid));
        QCOMPARE(lineIds(got), QStringList({l1.uuid, l2.uuid, l3.uuid}));
        QCOMPARE(got[0].points, l1.points); // exact, fractions and signs kept
        QCOMPARE(got[0].tool, QString("pen"));
        QCOMPARE(got[0].color, l1.color);
        QCOMPARE(got[0].width, 3.0);
        QCOMPARE(got[0].userUuid, l1.userUuid);

        // The stroke grows: same uuid, more points. It keeps its place and its author.
        Line grown = l1;
        grown.points << 100.0 << 200.0;
        grown.tool = "eraser";
        grown.color = "#fff";
        grown.width = 12.5;
        grown.userUuid = chalk::protocol::newUuid();
        QVERIFY(run(s->upsertLine(a.uuid, grown)));
        got = *run(s->lines(a.uuid));
        QCOMPARE(lineIds(got), QStringList({l1.uuid, l2.uuid, l3.uuid}));
        QCOMPARE(got[0].points, grown.points);
        QCOMPARE(got[0].tool, QString("eraser"));
        QCOMPARE(got[0].color, QString("#fff"));
        QCOMPARE(got[0].width, 12.5);
        QCOMPARE(got[0].userUuid, l1.userUuid);

        // A line added after removing one still goes last.
        QVERIFY(run(s->removeLine(a.uuid, l3.uuid)));
        const Line l4 = makeLine({1, 1});
        QVERIFY(run(s->upsertLine(a.uuid, l4)));
        QCOMPARE(lineIds(*run(s->lines(a.uuid))), QStringList({l1.uuid, l2.uuid, l4.uuid}));
    }

    void lineFailures()
    {
        const Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        const Line inA = makeLine({1, 2});
        QVERIFY(run(s->upsertLine(a.uuid, inA)));
        // Unknown room, a uuid owned by another room's line, an empty uuid.
        QVERIFY(!run(s->upsertLine(chalk::protocol::newUuid(), makeLine({1, 2}))));
        Line hijack = inA;
        hijack.points = {9, 9};
        QVERIFY(!run(s->upsertLine(b.uuid, hijack)));
        Line noId = makeLine({1, 2});
        noId.uuid.clear();
        QVERIFY(!run(s->upsertLine(a.uuid, noId)));
        QCOMPARE(answer(s->lines(a.uuid))->first().points, inA.points);
        QVERIFY(answer(s->lines(b.uuid))->isEmpty());
        // Removing: unknown line, or a line of another room.
        QVERIFY(!run(s->removeLine(a.uuid, chalk::protocol::newUuid())));
        QVERIFY(!run(s->removeLine(b.uuid, inA.uuid)));
        QCOMPARE(answer(s->lines(a.uuid))->size(), 1);
        QVERIFY(run(s->removeLine(a.uuid, inA.uuid)));
        QVERIFY(answer(s->lines(a.uuid))->isEmpty());
        QVERIFY(!run(s->removeLine(a.uuid, inA.uuid)));
        QVERIFY(answer(s->lines(chalk::protocol::newUuid()))->isEmpty());
    }

    void resetDrawing()
    {
        const Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        for (int i = 0; i < 5; ++i)
            QVERIFY(run(s->upsertLine(a.uuid, makeLine({double(i), 0}))));
        const Line keep = makeLine({7, 7});
        QVERIFY(run(s->upsertLine(b.uuid, keep)));
        QVERIFY(run(s->resetDrawing(a.uuid)));
        QVERIFY(answer(s->lines(a.uuid))->isEmpty());
        QCOMPARE(lineIds(*run(s->lines(b.uuid))), QStringList({keep.uuid}));
        QVERIFY(run(s->resetDrawing(a.uuid))); // already empty: fine
        QVERIFY(!run(s->resetDrawing(chalk::protocol::newUuid())));
        // Uuids of cleared lines can be drawn again.
        QVERIFY(run(s->upsertLine(a.uuid, makeLine({1, 1}))));
        QCOMPARE(answer(s->lines(a.uuid))->size(), 1);
    }

    void usersByTokenHash()
    {
        User ann = makeUser("ann");
        const User bob = makeUser("bob");
        QVERIFY(run(s->saveUser(ann, "hash-ann")));
        QVERIFY(run(s->saveUser(bob, "hash-bob")));
        QCOMPARE(*run(s->userByTokenHash("hash-ann")), ann);
        QCOMPARE(*run(s->userByTokenHash("hash-bob")), bob);
        QVERIFY(!run(s->userByTokenHash("hash-nobody")));

        ann.name = "ann 2";
        ann.roomUuid = chalk::protocol::newUuid();
        QVERIFY(run(s->saveUser(ann, "hash-ann")));
        QCOMPARE(*run(s->userByTokenHash("hash-ann")), ann);

        // A new token replaces the old one.
        QVERIFY(run(s->saveUser(ann, "hash-ann-new")));
        QVERIFY(!run(s->userByTokenHash("hash-ann")));
        QCOMPARE(answer(s->userByTokenHash("hash-ann-new"))->uuid, ann.uuid);

        // A hash is one user's; empty values are refused.
        QVERIFY(!run(s->saveUser(makeUser("eve"), "hash-bob")));
        QCOMPARE(answer(s->userByTokenHash("hash-bob"))->uuid, bob.uuid);
        QVERIFY(!run(s->saveUser(makeUser("eve"), QByteArray())));
        User noId = makeUser("x");
        noId.uuid.clear();
        QVERIFY(!run(s->saveUser(noId, "hash-x")));
        const QByteArray binary("\x00\xff\x10 binary", 10);
        QVERIFY(run(s->saveUser(makeUser("bin"), binary)));
        QCOMPARE(answer(s->userByTokenHash(binary))->name, QString("bin"));
    }

    // ---- accounts ----------------------------------------------------------------------

    void createAccountKeepsTheUser()
    {
        // An anonymous user (one token) registers: same uuid, name and room; one new token.
        User ann = makeUser("Ann Display");
        ann.roomUuid = chalk::protocol::newUuid();
        QVERIFY(run(s->saveUser(ann, "anon-token")));
        QCOMPARE(run(s->createAccount(ann, "Ann", "argon-hash-1", "device-1")),
                 AccountCreated::Created);
        User registered = ann;
        registered.registered = true;
        QCOMPARE(*run(s->userByTokenHash("device-1")), registered);
        QVERIFY(!run(s->userByTokenHash("anon-token"))); // replaced
        // Found by any form of the name: NFKC and case fold.
        for (const QString &form : {QStringLiteral("Ann"), QStringLiteral("ann"),
                                    QStringLiteral("ANN"), QString::fromUtf8("Ａｎｎ")}) {
            const AccountLookup found = run(s->accountByName(form));
            QVERIFY(!found.failed);
            QVERIFY2(found.account, qPrintable(form));
            QCOMPARE(found.account->user, registered);
            QCOMPARE(found.account->loginName, QStringLiteral("Ann"));
            QCOMPARE(found.account->passwordHash, QByteArray("argon-hash-1"));
        }
        const AccountLookup byUuid = run(s->accountOf(ann.uuid));
        QVERIFY(byUuid.account);
        QCOMPARE(byUuid.account->loginName, QStringLiteral("Ann"));
        const AccountLookup none = run(s->accountByName("nobody"));
        QVERIFY(!none.failed);
        QVERIFY(!none.account);
        QVERIFY(!run(s->accountOf(chalk::protocol::newUuid())).account);

        // A new user (no identity before, accounts required) is stored by it too.
        const User bob = makeUser("bob");
        QCOMPARE(run(s->createAccount(bob, "bob", "argon-hash-2", "device-b")),
                 AccountCreated::Created);
        QCOMPARE(answer(s->userByTokenHash("device-b"))->uuid, bob.uuid);
        QVERIFY(answer(s->userByTokenHash("device-b"))->registered);
        // An anonymous user is not marked.
        QVERIFY(run(s->saveUser(makeUser("eve"), "eve-token")));
        QVERIFY(!answer(s->userByTokenHash("eve-token"))->registered);
    }

    void accountRefusals()
    {
        const User ann = makeUser("ann");
        QCOMPARE(run(s->createAccount(ann, "ann", "h", "t-ann")), AccountCreated::Created);
        QCOMPARE(run(s->createAccount(ann, "ann2", "h", "t-ann2")),
                 AccountCreated::AlreadyRegistered);
        // Another form of a taken name; a registered display name; a display name that is an
        // account's name: all NameTaken, and nothing stored.
        QCOMPARE(run(s->createAccount(makeUser("x"), QString::fromUtf8("ＡＮＮ"), "h", "t-x")),
                 AccountCreated::NameTaken);
        QCOMPARE(run(s->createAccount(makeUser("Ann"), "someone", "h", "t-y")),
                 AccountCreated::NameTaken);
        QVERIFY(!run(s->userByTokenHash("t-x")));
        QVERIFY(!run(s->userByTokenHash("t-y")));
        QVERIFY(!run(s->accountByName("someone")).account);
        // Empty values fail; a token of another user fails.
        QCOMPARE(run(s->createAccount(makeUser("z"), "zed", QByteArray(), "t-z")),
                 AccountCreated::Failed);
        QCOMPARE(run(s->createAccount(makeUser("z"), "zed", "h", QByteArray())),
                 AccountCreated::Failed);
        QCOMPARE(run(s->createAccount(makeUser("z"), "zed", "h", "t-ann")), AccountCreated::Failed);
        QCOMPARE(answer(s->userByTokenHash("t-ann"))->uuid, ann.uuid);
        QVERIFY(!run(s->accountByName("zed")).account);
    }

    void deviceTokens()
    {
        const User ann = makeUser("ann");
        QVERIFY(run(s->createAccount(ann, "ann", "old-hash", "phone")) == AccountCreated::Created);
        QVERIFY(run(s->addToken(ann.uuid, "laptop")));
        QVERIFY(run(s->addToken(ann.uuid, "tablet")));
        QVERIFY(run(s->addToken(ann.uuid, "tablet"))); // again: harmless
        for (const char *t : {"phone", "laptop", "tablet"})
            QCOMPARE(answer(s->userByTokenHash(t))->uuid, ann.uuid);
        // A token of another user, or for nobody, is refused.
        const User bob = makeUser("bob");
        QVERIFY(run(s->saveUser(bob, "bob-token")));
        QVERIFY(!run(s->addToken(ann.uuid, "bob-token")));
        QCOMPARE(answer(s->userByTokenHash("bob-token"))->uuid, bob.uuid);
        QVERIFY(!run(s->addToken(chalk::protocol::newUuid(), "stray")));
        QVERIFY(!run(s->userByTokenHash("stray")));

        // Logout on the laptop: that token only.
        QVERIFY(run(s->revokeToken("laptop")));
        QVERIFY(!run(s->userByTokenHash("laptop")));
        QVERIFY(run(s->userByTokenHash("phone")));
        QVERIFY(run(s->revokeToken("laptop"))); // already gone: fine

        // A new password on the tablet: every other token goes, the hash changes.
        QVERIFY(run(s->addToken(ann.uuid, "laptop-again")));
        QVERIFY(run(s->changePassword(ann.uuid, "new-hash", "tablet")));
        QVERIFY(!run(s->userByTokenHash("phone")));
        QVERIFY(!run(s->userByTokenHash("laptop-again")));
        QCOMPARE(answer(s->userByTokenHash("tablet"))->uuid, ann.uuid);
        QCOMPARE(run(s->accountOf(ann.uuid)).account->passwordHash, QByteArray("new-hash"));
        QCOMPARE(answer(s->userByTokenHash("bob-token"))->uuid, bob.uuid); // others untouched
        QVERIFY(!run(s->changePassword(bob.uuid, "h", "bob-token")));      // no account
        QVERIFY(run(s->userByTokenHash("bob-token")));
    }

    void registeredNamesAreProtected()
    {
        User ann = makeUser("Annie");
        QVERIFY(run(s->createAccount(ann, "ann", "h", "t-ann")) == AccountCreated::Created);
        QVERIFY(run(s->saveUser(makeUser("Anonymous Al"), "t-al")));
        // By login name and by display name, in any form; not for ann itself; never for an
        // anonymous user's name.
        for (const QString &n : {QStringLiteral("ann"), QStringLiteral("ANN"),
                                 QStringLiteral("annie"), QString::fromUtf8("ＡＮＮＩＥ")})
            QCOMPARE(*run(s->registeredNameOwner(n, chalk::protocol::newUuid())), ann.uuid);
        QCOMPARE(*run(s->registeredNameOwner("annie", ann.uuid)), QString());
        QCOMPARE(*run(s->registeredNameOwner("anonymous al", QString())), QString());
        QCOMPARE(*run(s->registeredNameOwner("bob", QString())), QString());

        // A rename of a registered user (updateUser) moves the protection, keeps its tokens.
        QVERIFY(run(s->addToken(ann.uuid, "t-ann-2")));
        ann.name = "Queen Ann";
        ann.roomUuid = chalk::protocol::newUuid();
        QVERIFY(run(s->updateUser(ann)));
        QCOMPARE(*run(s->registeredNameOwner("queen ann", QString())), ann.uuid);
        QCOMPARE(*run(s->registeredNameOwner("annie", QString())), QString());
        QCOMPARE(*run(s->registeredNameOwner("ann", QString())), ann.uuid); // login name stays
        User expected = ann;
        expected.registered = true;
        QCOMPARE(*run(s->userByTokenHash("t-ann")), expected);
        QCOMPARE(*run(s->userByTokenHash("t-ann-2")), expected);
        QVERIFY(!run(s->updateUser(makeUser("ghost"))));
    }

    void directRoomsKeepTheirMembers()
    {
        const Room open = addRoom("public", 1000);
        Room direct = makeRoom("ann & bob", 2000);
        direct.members = QStringList{"u-ann", "u-bob"};
        QVERIFY(run(s->createRoom(direct)));
        // Renaming keeps the members; a public room has none.
        direct.name = QStringLiteral("renamed");
        QVERIFY(run(s->updateRoom(direct)));
        QVERIFY(roomById(open.uuid)->members.isEmpty());
        const auto stored = roomById(direct.uuid);
        QVERIFY(stored);
        QCOMPARE(stored->members, direct.members);
        QCOMPARE(stored->name, QString("renamed"));
        QVERIFY(stored->isDirect());
    }

    void blocks()
    {
        QCOMPARE(run(s->isBlocked("ann", "bob")), std::optional<bool>(false));
        QVERIFY(run(s->setBlocked("ann", "bob", true)));
        QVERIFY(run(s->setBlocked("ann", "bob", true))); // again: still one block
        QCOMPARE(run(s->isBlocked("ann", "bob")), std::optional<bool>(true));
        // One way only, and per pair.
        QCOMPARE(run(s->isBlocked("bob", "ann")), std::optional<bool>(false));
        QCOMPARE(run(s->isBlocked("ann", "cid")), std::optional<bool>(false));
        QVERIFY(run(s->setBlocked("ann", "bob", false)));
        QCOMPARE(run(s->isBlocked("ann", "bob")), std::optional<bool>(false));
        QVERIFY(run(s->setBlocked("ann", "bob", false))); // not blocked: nothing to lift
    }

    void lastSeenIsKeptAndListed()
    {
        const User ann = makeUser("Ann");
        QVERIFY(run(s->saveUser(ann, "t-ann")));
        auto page = answer(s->listUsers("ann", QString(), 10));
        QCOMPARE(page->users.size(), 1);
        QVERIFY(!page->users.first().lastSeen.isValid()); // never left yet
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(1790000000123, Qt::UTC);
        QVERIFY(run(s->setLastSeen(ann.uuid, when)));
        page = answer(s->listUsers("ann", QString(), 10));
        QCOMPARE(page->users.first().lastSeen, when);
        // Asked for by uuid: only those seen leaving (not bob, never gone; not an unknown user).
        const User bob = makeUser("Bob");
        QVERIFY(run(s->saveUser(bob, "t-bob")));
        const auto seen = answer(s->lastSeenOf({bob.uuid, ann.uuid, chalk::protocol::newUuid()}));
        QCOMPARE(seen->size(), 1);
        QCOMPARE(seen->value(ann.uuid), when);
        QCOMPARE(answer(s->lastSeenOf({}))->size(), 0);
        QCOMPARE(page->users.first().lastSeen.toMSecsSinceEpoch(), when.toMSecsSinceEpoch());
        // A rename keeps it; an unknown user has none to set.
        QVERIFY(run(s->saveUser(User{ann.uuid, "Anna", {}}, "t-ann")));
        QCOMPARE(answer(s->listUsers("anna", QString(), 10))->users.first().lastSeen, when);
        QVERIFY(!run(s->setLastSeen(chalk::protocol::newUuid(), when)));
    }

    void listUsersPagesInKeyOrder()
    {
        // Names out of order, some alike but for case and accents; one registered.
        const QStringList names{"bob", "Émile", "anne", "ANNE", "Zoë", "emile", "Åsa", "zed"};
        QList<User> users;
        for (const QString &n : names) {
            users << makeUser(n);
            QVERIFY(run(s->saveUser(users.last(), n.toUtf8() + "-token")));
        }
        const User reg = makeUser("Registered Emil");
        QCOMPARE(run(s->createAccount(reg, "emil", "hash", "t-reg")), AccountCreated::Created);
        // Every user, in (search key, uuid) order, three at a time.
        QStringList keys;
        QList<QString> seen;
        QString after;
        for (int pages = 0;; ++pages) {
            QVERIFY(pages < 5);
            const auto page = answer(s->listUsers(QString(), after, 3));
            QVERIFY(!page->unknownAfter);
            QVERIFY(page->users.size() <= 3);
            for (const auto &p : page->users) {
                seen << p.user.uuid;
                keys << chalk::protocol::searchKey(p.user.name) + u'\n' + p.user.uuid;
                QVERIFY(p.user.roomUuid.isEmpty());
                QCOMPARE(p.user.registered, p.user.uuid == reg.uuid);
            }
            if (!page->hasMore)
                break;
            after = page->users.last().user.uuid;
        }
        QCOMPARE(seen.size(), names.size() + 1);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), seen.size());
        QStringList sorted = keys;
        std::sort(sorted.begin(), sorted.end(),
                  [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
        QCOMPARE(keys, sorted);
        // Case and accents ignored; a substring anywhere in the name.
        const auto emile = answer(s->listUsers("EMIL", QString(), 10));
        QCOMPARE(emile->users.size(), 3); // Émile, emile, Registered Emil
        QCOMPARE(emile->hasMore, false);
        QCOMPARE(answer(s->listUsers("asa", QString(), 10))->users.size(), 1);
        QCOMPARE(answer(s->listUsers("zo", QString(), 10))->users.first().user.name,
                 QString("Zoë"));
        QCOMPARE(answer(s->listUsers("%", QString(), 10))->users.size(), 0);
        QCOMPARE(answer(s->listUsers("nobody", QString(), 10))->users.size(), 0);
        // Exactly a page: no more after it.
        const auto two = answer(s->listUsers("anne", QString(), 2));
        QCOMPARE(two->users.size(), 2);
        QCOMPARE(two->hasMore, false);
        const auto one = answer(s->listUsers("anne", QString(), 1));
        QCOMPARE(one->hasMore, true);
        // A cursor naming nobody lists nothing and says so.
        const auto unknown = answer(s->listUsers(QString(), chalk::protocol::newUuid(), 10));
        QVERIFY(unknown->unknownAfter);
        QCOMPARE(unknown->users.size(), 0);
    }

    // The user's count in `room` (-1: it does not follow the room).
    qint64 unreadIn(const QString &user, const QString &room)
    {
        const auto counts = answer(s->unreadCounts(user, QString()));
        for (const UnreadCount &c : *counts)
            if (c.roomUuid == room)
                return c.unread;
        return -1;
    }

    void readMarkersCountOthersAfterTheMarker()
    {
        const Room a = addRoom("alpha");
        const Room b = addRoom("beta");
        const User ann = makeUser("ann");
        const User bob = makeUser("bob");
        add(a, bob, "before ann came");
        // Nothing followed yet; following starts at the newest message.
        QCOMPARE(answer(s->unreadCounts(ann.uuid, QString()))->size(), 0);
        QVERIFY(run(s->followRoom(ann.uuid, a.uuid)));
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 0);
        const Message m1 = add(a, bob, "one");
        add(a, ann, "mine never counts");
        const Message m3 = add(a, bob, "three");
        add(b, bob, "another room");
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 2);
        QCOMPARE(unreadIn(ann.uuid, b.uuid), -1);
        // The newest seq of the room comes with the count.
        const auto only = answer(s->unreadCounts(ann.uuid, a.uuid));
        QCOMPARE(only->size(), 1);
        QCOMPARE(only->first().throughSeq, m3.seq);
        // Forward only.
        QCOMPARE(run(s->markRead(ann.uuid, a.uuid, m1.uuid)), ReadMarked::Moved);
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 1);
        QCOMPARE(run(s->markRead(ann.uuid, a.uuid, m3.uuid)), ReadMarked::Moved);
        QCOMPARE(run(s->markRead(ann.uuid, a.uuid, m1.uuid)), ReadMarked::Kept);
        QCOMPARE(run(s->markRead(ann.uuid, a.uuid, m3.uuid)), ReadMarked::Kept);
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 0);
        // Following again keeps the marker where it is.
        add(a, bob, "four");
        QVERIFY(run(s->followRoom(ann.uuid, a.uuid)));
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 1);
        // A message of another room, or none: nothing moves.
        QCOMPARE(run(s->markRead(ann.uuid, b.uuid, m3.uuid)), ReadMarked::NoSuchMessage);
        QCOMPARE(run(s->markRead(ann.uuid, a.uuid, chalk::protocol::newUuid())),
                 ReadMarked::NoSuchMessage);
        QCOMPARE(unreadIn(ann.uuid, a.uuid), 1);
        // Marking a room not followed follows it from that message.
        const Message b2 = add(b, bob, "b two");
        add(b, bob, "b three");
        QCOMPARE(run(s->markRead(ann.uuid, b.uuid, b2.uuid)), ReadMarked::Moved);
        QCOMPARE(unreadIn(ann.uuid, b.uuid), 1);
        // Each user has its own markers.
        QCOMPARE(unreadIn(bob.uuid, a.uuid), -1);
        QVERIFY(!run(s->followRoom(ann.uuid, chalk::protocol::newUuid()))); // no such room
    }

    void directRoomsCountFromTheirStartAndMarkersGoWithRooms()
    {
        Room direct = makeRoom("ann & bob");
        direct.members = QStringList{"u-ann", "u-bob"};
        QVERIFY(run(s->createRoom(direct)));
        add(direct, User{"u-ann", "ann", {}}, "hi bob");
        add(direct, User{"u-ann", "ann", {}}, "are you there");
        QCOMPARE(unreadIn("u-bob", direct.uuid), 2);
        QCOMPARE(unreadIn("u-ann", direct.uuid), 0);
        QCOMPARE(unreadIn("u-cid", direct.uuid), -1);
        QVERIFY(run(s->deleteRoom(direct.uuid)));
        QCOMPARE(answer(s->unreadCounts("u-bob", QString()))->size(), 0);
    }

    void flushAfterUnawaitedWrites()
    {
        const Room a = addRoom("alpha");
        const User u = makeUser("ann");
        int done = 0;
        for (int i = 0; i < 100; ++i) {
            s->addMessage(makeMessage(a.uuid, u, QString::number(i))).then([&done](auto stored) {
                if (stored)
                    ++done;
            });
        }
        run(s->flush());
        QCOMPARE(done, 100);
        const auto page = run(s->listMessages(a.uuid, QString(), 200));
        QVERIFY(page);
        QCOMPARE(page->messages.size(), 100);
        for (int i = 0; i < 100; ++i) // stored in the order they were issued
            QCOMPARE(page->messages[i].body, QString::number(i));
        QCOMPARE(roomById(a.uuid)->sum, 100);
    }
};

class MemoryConformance : public StorageConformance {
    Q_OBJECT
protected:
    std::unique_ptr<Storage> make() override { return std::make_unique<MemoryStorage>(); }
};

class SqliteConformance : public StorageConformance {
    Q_OBJECT
protected:
    std::unique_ptr<Storage> make() override
    {
        static int n = 0;
        return std::make_unique<SqliteStorage>(dir.filePath(QStringLiteral("c%1.db").arg(++n)));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    {
        MemoryConformance memory;
        failures += QTest::qExec(&memory, argc, argv);
    }
    {
        SqliteConformance sqlite;
        failures += QTest::qExec(&sqlite, argc, argv);
    }
    return failures;
}

#include "tst_storage_conformance.moc"
