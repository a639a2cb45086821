// What only the SQLite storage promises: durability across reopen, paging on a big room,
// schema upgrades, a storage thread apart from the caller's, group commit.
#include "server/storage/sqlite_schema.h"
#include "server/storage/sqlite_storage.h"
#include "storage_test_util.h"

#include <QFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace chalk::server;
using namespace chalk::server::test;
using chalk::protocol::Line;
using chalk::protocol::Message;
using chalk::protocol::Room;
using chalk::protocol::User;
using chalk::server::AccountCreated;

namespace {

// A connection of the test's own, on the test's thread, to look at the file directly.
class RawDb {
public:
    explicit RawDb(const QString &path)
        : name(QUuid::createUuid().toString())
    {
        auto db = QSqlDatabase::addDatabase("QSQLITE", name);
        db.setDatabaseName(path);
        if (!db.open())
            qFatal("raw open failed: %s", qPrintable(db.lastError().text()));
    }
    ~RawDb() { QSqlDatabase::removeDatabase(name); }
    QSqlDatabase db() const { return QSqlDatabase::database(name, false); }
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (!ok)
            qWarning() << sql << q.lastError().text();
        return ok;
    }

private:
    QString name;
};

} // namespace

class TestSqliteStorage : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString path;

    std::unique_ptr<SqliteStorage> openStorage()
    {
        auto s = std::make_unique<SqliteStorage>(path);
        if (!run(s->open()))
            qFatal("open failed: %s", qPrintable(s->lastError()));
        return s;
    }

private slots:
    void init()
    {
        QVERIFY(dir.isValid());
        static int n = 0;
        path = dir.filePath(QStringLiteral("t%1.db").arg(++n));
    }

    void persistsAcrossReopen()
    {
        const Room a = makeRoom("alpha", 1000);
        const Room b = makeRoom("beta", 2000);
        User ann = makeUser("ann");
        QStringList uuids;
        Line line = makeLine({1.5, 2.5, 3.5, 4.5});
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(a)));
            QVERIFY(run(s->createRoom(b)));
            for (int i = 0; i < 5; ++i)
                uuids << run(s->addMessage(makeMessage(a.uuid, ann, QString::number(i))))
                             ->message.uuid;
            QVERIFY(run(s->upsertLine(b.uuid, line)));
            QVERIFY(run(s->saveUser(ann, "hash")));
        }
        auto s = openStorage();
        const auto rooms = run(s->listRooms());
        QVERIFY(rooms);
        QCOMPARE(rooms->size(), 2);
        QCOMPARE(rooms->at(0).uuid, a.uuid);
        QCOMPARE(rooms->at(0).sum, 5);
        QCOMPARE(rooms->at(1).name, QString("beta"));
        const auto page = run(s->listMessages(a.uuid, QString(), 50));
        QVERIFY(page);
        QStringList got;
        for (const Message &m : page->messages)
            got << m.uuid;
        QCOMPARE(got, uuids);
        const auto lines = run(s->lines(b.uuid));
        QVERIFY(lines);
        QCOMPARE(lines->size(), 1);
        QCOMPARE(lines->first().points, line.points);
        QCOMPARE(answer(s->userByTokenHash("hash"))->uuid, ann.uuid);
        // The file is in WAL mode with the current schema version.
        s.reset();
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA journal_mode").toString(), QString("wal"));
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
    }

    void pagingOverTenThousandMessages()
    {
        auto s = openStorage();
        const Room a = makeRoom("big");
        const Room other = makeRoom("other");
        QVERIFY(run(s->createRoom(a)));
        QVERIFY(run(s->createRoom(other)));
        const User u = makeUser("ann");
        constexpr int total = 10000;
        int stored = 0;
        for (int i = 0; i < total; ++i) {
            s->addMessage(makeMessage(a.uuid, u, QString::number(i))).then([&](auto m) {
                stored += m.has_value();
            });
            if (i % 10 == 0)
                s->addMessage(makeMessage(other.uuid, u, "noise"));
        }
        run(s->flush());
        QCOMPARE(stored, total);

        // Walk back from the newest with an uneven page size.
        QList<int> seen;
        QString before;
        qint64 lastSeq = std::numeric_limits<qint64>::max();
        int pages = 0;
        for (;;) {
            const auto page = run(s->listMessages(a.uuid, before, 137));
            QVERIFY(page);
            ++pages;
            QList<int> bodies;
            for (const Message &m : page->messages) {
                QCOMPARE(m.roomUuid, a.uuid);
                bodies << m.body.toInt();
            }
            for (qsizetype i = page->messages.size() - 1; i >= 0; --i) {
                QVERIFY(page->messages[i].seq < lastSeq); // strictly older, page by page
                lastSeq = page->messages[i].seq;
            }
            seen = bodies + seen;
            if (!page->hasMore)
                break;
            QCOMPARE(page->messages.size(), 137);
            before = page->messages.first().uuid;
        }
        QCOMPARE(pages, (total + 136) / 137);
        QCOMPARE(seen.size(), total);
        for (int i = 0; i < total; ++i)
            QCOMPARE(seen[i], i); // every message once, in the order sent
        QCOMPARE(answer(s->listRooms())->at(0).sum, total);
    }

    void pagingUsesTheRoomIndex()
    {
        openStorage().reset();
        RawDb raw(path);
        QSqlQuery q(raw.db());
        QVERIFY(q.exec("EXPLAIN QUERY PLAN SELECT seq FROM messages WHERE room_uuid = 'x'"
                       " AND seq < 10 ORDER BY seq DESC LIMIT 51"));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + '\n';
        QVERIFY2(plan.contains("USING COVERING INDEX messages_by_room") ||
                     plan.contains("USING INDEX messages_by_room"),
                 qPrintable(plan));
        QVERIFY2(!plan.contains("TEMP B-TREE"), qPrintable(plan)); // no sort step
    }

    void idempotentClientIdAcrossReopen()
    {
        const Room a = makeRoom("alpha");
        const User u = makeUser("ann");
        Message first;
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(a)));
            first = answer(s->addMessage(makeMessage(a.uuid, u, "once", "cid-42")))->message;
        }
        auto s = openStorage();
        const auto again = run(s->addMessage(makeMessage(a.uuid, u, "once", "cid-42")));
        QVERIFY(again);
        QVERIFY(again->duplicate);
        QCOMPARE(again->message.uuid, first.uuid);
        QCOMPARE(again->message.seq, first.seq);
        QCOMPARE(answer(s->listMessages(a.uuid, QString(), 50))->messages.size(), 1);
        QCOMPARE(answer(s->listRooms())->first().sum, 1);
    }

    void upgradesVersionOneDatabase()
    {
        // A file as version 1 wrote it: no users table, no message counter.
        {
            RawDb raw(path);
            for (const char *sql : {
                     "CREATE TABLE rooms (uuid TEXT PRIMARY KEY, name TEXT NOT NULL,"
                     " color TEXT NOT NULL, created INTEGER NOT NULL)",
                     "CREATE TABLE messages (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                     " room_uuid TEXT NOT NULL REFERENCES rooms(uuid) ON DELETE CASCADE,"
                     " user_uuid TEXT NOT NULL, user_name TEXT NOT NULL, body TEXT NOT NULL,"
                     " created INTEGER NOT NULL, client_id TEXT)",
                     "CREATE INDEX messages_by_room ON messages(room_uuid, seq)",
                     "CREATE UNIQUE INDEX messages_by_client_id ON messages(user_uuid, client_id)"
                     " WHERE client_id IS NOT NULL",
                     "CREATE TABLE lines (uuid TEXT PRIMARY KEY, room_uuid TEXT NOT NULL"
                     " REFERENCES rooms(uuid) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                     " points BLOB NOT NULL, tool TEXT NOT NULL, color TEXT NOT NULL,"
                     " width REAL NOT NULL DEFAULT 0, user_uuid TEXT)",
                     "CREATE INDEX lines_by_room ON lines(room_uuid, seq)",
                     "INSERT INTO rooms VALUES ('r1', 'old room', '#fff', 1000)",
                     "INSERT INTO rooms VALUES ('r2', 'empty room', '#000', 2000)",
                     "INSERT INTO messages (uuid, room_uuid, user_uuid, user_name, body, created,"
                     " client_id) VALUES ('m1', 'r1', 'u1', 'ann', 'first', 1100, NULL),"
                     " ('m2', 'r1', 'u1', 'ann', 'second', 1200, 'c2'),"
                     " ('m3', 'r1', 'u2', 'bob', 'third', 1300, NULL)",
                     "PRAGMA user_version = 1",
                 })
                QVERIFY(raw.exec(QLatin1String(sql)));
        }
        {
            auto s = openStorage();
            const auto rooms = run(s->listRooms());
            QVERIFY(rooms);
            QCOMPARE(rooms->size(), 2);
            QCOMPARE(rooms->at(0).sum, 3); // the counter was filled from existing rows
            QCOMPARE(rooms->at(1).sum, 0);
            const auto page = run(s->listMessages("r1", "m3", 10));
            QVERIFY(page);
            QCOMPARE(page->messages.size(), 2);
            QCOMPARE(page->messages[0].body, QString("first"));
            QCOMPARE(page->messages[1].user.name, QString("ann"));
            // v2 features work on the upgraded file; the counter keeps counting.
            QVERIFY(run(s->saveUser(User{"u1", "ann", QString()}, "h1")));
            QCOMPARE(answer(s->userByTokenHash("h1"))->name, QString("ann"));
            QVERIFY(run(s->addMessage(makeMessage("r1", User{"u1", "ann", {}}, "fourth"))));
            QVERIFY(answer(s->addMessage(makeMessage("r1", User{"u1", "ann", {}}, "x", "c2")))
                        ->duplicate);
            QCOMPARE(answer(s->listRooms())->at(0).sum, 4);
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
    }

    void upgradesVersionTwoDatabase()
    {
        // A file as version 2 (main before accounts) wrote it: one token per user, in users.
        {
            RawDb raw(path);
            for (const char *sql : {
                     "CREATE TABLE rooms (uuid TEXT PRIMARY KEY, name TEXT NOT NULL,"
                     " color TEXT NOT NULL, created INTEGER NOT NULL,"
                     " message_count INTEGER NOT NULL DEFAULT 0)",
                     "CREATE TABLE messages (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                     " room_uuid TEXT NOT NULL REFERENCES rooms(uuid) ON DELETE CASCADE,"
                     " user_uuid TEXT NOT NULL, user_name TEXT NOT NULL, body TEXT NOT NULL,"
                     " created INTEGER NOT NULL, client_id TEXT)",
                     "CREATE INDEX messages_by_room ON messages(room_uuid, seq)",
                     "CREATE UNIQUE INDEX messages_by_client_id ON messages(user_uuid, client_id)"
                     " WHERE client_id IS NOT NULL",
                     "CREATE TABLE lines (uuid TEXT PRIMARY KEY, room_uuid TEXT NOT NULL"
                     " REFERENCES rooms(uuid) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                     " points BLOB NOT NULL, tool TEXT NOT NULL, color TEXT NOT NULL,"
                     " width REAL NOT NULL DEFAULT 0, user_uuid TEXT)",
                     "CREATE INDEX lines_by_room ON lines(room_uuid, seq)",
                     "CREATE TABLE users (uuid TEXT PRIMARY KEY, name TEXT NOT NULL,"
                     " token_hash BLOB NOT NULL UNIQUE, room_uuid TEXT)",
                     "CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN"
                     " UPDATE rooms SET message_count = message_count + 1"
                     " WHERE uuid = NEW.room_uuid; END",
                     "CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN"
                     " UPDATE rooms SET message_count = message_count - 1"
                     " WHERE uuid = OLD.room_uuid; END",
                     "INSERT INTO rooms (uuid, name, color, created) VALUES"
                     " ('r1', 'old room', '#fff', 1000)",
                     "INSERT INTO messages (uuid, room_uuid, user_uuid, user_name, body, created,"
                     " client_id) VALUES ('m1', 'r1', 'u1', 'ann', 'first', 1100, 'c1'),"
                     " ('m2', 'r1', 'u2', 'bob', 'second', 1200, NULL)",
                     "INSERT INTO users VALUES ('u1', 'ann', X'0102', 'r1'),"
                     " ('u2', 'bob', X'0304', NULL)",
                     "PRAGMA user_version = 2",
                 })
                QVERIFY(raw.exec(QLatin1String(sql)));
        }
        {
            auto s = openStorage();
            // Everything kept: rooms with their count, messages, and each user's token.
            const auto rooms = run(s->listRooms());
            QVERIFY(rooms);
            QCOMPARE(rooms->size(), 1);
            QCOMPARE(rooms->at(0).sum, 2);
            const auto page = run(s->listMessages("r1", QString(), 10));
            QVERIFY(page);
            QCOMPARE(page->messages.size(), 2);
            QCOMPARE(page->messages[1].body, QString("second"));
            QCOMPARE(*run(s->userByTokenHash(QByteArray("\x01\x02", 2))),
                     (User{"u1", "ann", "r1", false}));
            QCOMPARE(*run(s->userByTokenHash(QByteArray("\x03\x04", 2))),
                     (User{"u2", "bob", QString(), false}));
            QVERIFY(answer(s->addMessage(makeMessage("r1", User{"u1", "ann", {}}, "x", "c1")))
                        ->duplicate);
            // Accounts work on the upgraded file; ann registers keeping her uuid.
            QCOMPARE(run(s->createAccount(User{"u1", "ann", "r1"}, "ann", "h", "device")),
                     AccountCreated::Created);
            QVERIFY(answer(s->userByTokenHash("device"))->registered);
            QVERIFY(run(s->addToken("u1", "device-2")));
            QCOMPARE(answer(s->userByTokenHash("device-2"))->uuid, QString("u1"));
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
        QCOMPARE(raw.value("SELECT COUNT(*) FROM tokens").toInt(), 3);
        // Upgraded once: opening again changes nothing.
        {
            auto s = openStorage();
            QCOMPARE(answer(s->userByTokenHash("device"))->uuid, QString("u1"));
        }
        QCOMPARE(raw.value("SELECT COUNT(*) FROM tokens").toInt(), 3);
    }

    void upgradesVersionThreeDatabase()
    {
        // A file as version 3 (main before direct conversations) wrote it: made by this
        // program, then the v4 to v7 additions taken away again.
        Room old = makeRoom("old room", 1000);
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(old)));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec("DROP INDEX messages_deleted_by_room")); // v7
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN edited_at"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN deleted"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN reply_to"));
            QVERIFY(raw.exec("DROP TABLE read_markers")); // v6
            QVERIFY(raw.exec("DROP INDEX messages_by_room_user"));
            // v5 (presence) first, then v4.
            QVERIFY(raw.exec("DROP INDEX users_by_search_key"));
            QVERIFY(raw.exec("ALTER TABLE users DROP COLUMN search_key"));
            QVERIFY(raw.exec("ALTER TABLE users DROP COLUMN last_seen"));
            QVERIFY(raw.exec("DROP TABLE blocks"));
            QVERIFY(raw.exec("ALTER TABLE rooms DROP COLUMN members"));
            QVERIFY(raw.exec("PRAGMA user_version = 3"));
        }
        {
            auto s = openStorage();
            const auto rooms = run(s->listRooms());
            QVERIFY(rooms);
            QCOMPARE(rooms->size(), 1);
            QCOMPARE(rooms->at(0).uuid, old.uuid);
            QVERIFY(!rooms->at(0).isDirect());
            Room direct = makeRoom("ann & bob", 2000);
            direct.members = QStringList{"a", "b"};
            QVERIFY(run(s->createRoom(direct)));
            QVERIFY(run(s->setBlocked("a", "b", true)));
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
        QCOMPARE(raw.value("SELECT COUNT(*) FROM blocks").toInt(), 1);
        QCOMPARE(raw.value("SELECT members FROM rooms WHERE members IS NOT NULL").toString(),
                 QString("a b"));
    }

    void upgradesVersionFourDatabase()
    {
        // A file as version 4 (main before presence) wrote it: made by this program, then the
        // v5 to v7 additions taken away again. Its users get their search keys in the upgrade.
        const User emile = makeUser("Émile Zola");
        {
            auto s = openStorage();
            QVERIFY(run(s->saveUser(emile, "t-emile")));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec("DROP INDEX messages_deleted_by_room")); // v7
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN edited_at"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN deleted"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN reply_to"));
            QVERIFY(raw.exec("DROP TABLE read_markers")); // v6
            QVERIFY(raw.exec("DROP INDEX messages_by_room_user"));
            QVERIFY(raw.exec("DROP INDEX users_by_search_key")); // v5
            QVERIFY(raw.exec("ALTER TABLE users DROP COLUMN search_key"));
            QVERIFY(raw.exec("ALTER TABLE users DROP COLUMN last_seen"));
            QVERIFY(raw.exec("PRAGMA user_version = 4"));
        }
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(1790000000000, Qt::UTC);
        {
            auto s = openStorage();
            const auto found = answer(s->listUsers("EMILE", QString(), 10));
            QCOMPARE(found->users.size(), 1);
            QCOMPARE(found->users.first().user.uuid, emile.uuid);
            QVERIFY(!found->users.first().lastSeen.isValid());
            QVERIFY(run(s->setLastSeen(emile.uuid, when)));
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
        QCOMPARE(raw.value("SELECT search_key FROM users").toString(), QString("emile zola"));
        QCOMPARE(raw.value("SELECT last_seen FROM users").toLongLong(), when.toMSecsSinceEpoch());
    }

    void upgradesVersionFiveDatabase()
    {
        // A file as version 5 (main before read markers) wrote it: made by this program, then
        // the v6 and v7 additions taken away again. Its direct conversation gets markers at its
        // start.
        const Room open = makeRoom("open room", 1000);
        Room direct = makeRoom("ann & bob", 2000);
        direct.members = QStringList{"u-ann", "u-bob"};
        const User ann{"u-ann", "ann", {}};
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(open)));
            QVERIFY(run(s->createRoom(direct)));
            for (const char *body : {"hi", "there", "bob"})
                QVERIFY(run(s->addMessage(makeMessage(direct.uuid, ann, body))));
            QVERIFY(run(s->addMessage(makeMessage(open.uuid, ann, "public"))));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec("DROP INDEX messages_deleted_by_room")); // v7
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN edited_at"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN deleted"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN reply_to"));
            QVERIFY(raw.exec("DROP TABLE read_markers"));
            QVERIFY(raw.exec("DROP INDEX messages_by_room_user"));
            QVERIFY(raw.exec("PRAGMA user_version = 5"));
        }
        {
            auto s = openStorage();
            QCOMPARE(answer(s->listMessages(direct.uuid, QString(), 10))->messages.size(), 3);
            const auto bob = answer(s->unreadCounts("u-bob", QString()));
            QCOMPARE(bob->size(), 1);
            QCOMPARE(bob->first().roomUuid, direct.uuid);
            QCOMPARE(bob->first().unread, 3);
            QCOMPARE(answer(s->unreadCounts("u-ann", QString()))->first().unread, 0);
            const auto page = answer(s->listMessages(direct.uuid, QString(), 10));
            QCOMPARE(run(s->markRead("u-bob", direct.uuid, page->messages[1].uuid)),
                     ReadMarked::Moved);
            QCOMPARE(answer(s->unreadCounts("u-bob", direct.uuid))->first().unread, 1);
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
        QCOMPARE(raw.value("SELECT COUNT(*) FROM read_markers").toInt(), 2);
    }

    void upgradesVersionSixDatabase()
    {
        // A file as version 6 (main before own messages) wrote it: made by this program, then
        // the v7 additions taken away. Its messages are neither edited, deleted nor replies;
        // edits, deletes and replies work on it, and a tombstone stops counting as unread.
        const Room room = makeRoom("room", 1000);
        const User ann{"u-ann", "ann", {}};
        Message first;
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(room)));
            QVERIFY(run(s->followRoom("u-bob", room.uuid)));
            first = run(s->addMessage(makeMessage(room.uuid, ann, "first")))->message;
            QVERIFY(run(s->addMessage(makeMessage(room.uuid, ann, "second"))));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec("DROP INDEX messages_deleted_by_room")); // v7
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN edited_at"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN deleted"));
            QVERIFY(raw.exec("ALTER TABLE messages DROP COLUMN reply_to"));
            QVERIFY(raw.exec("PRAGMA user_version = 6"));
        }
        {
            auto s = openStorage();
            const auto page = answer(s->listMessages(room.uuid, QString(), 10));
            QCOMPARE(page->messages.size(), 2);
            for (const Message &m : page->messages)
                QVERIFY(!m.deleted && !m.editedAt.isValid() && m.replyTo.isEmpty());
            QCOMPARE(answer(s->unreadCounts("u-bob", room.uuid))->first().unread, 2);
            Message reply = makeMessage(room.uuid, User{"u-bob", "bob", {}}, "re");
            reply.replyTo = first.uuid;
            QCOMPARE(run(s->addMessage(reply))->message.replyToText, QString("first"));
            QCOMPARE(run(s->deleteMessage(first.uuid, ann.uuid)).result, MessageChange::Changed);
            QCOMPARE(answer(s->unreadCounts("u-bob", room.uuid))->first().unread, 1);
        }
        RawDb raw(path);
        QCOMPARE(raw.value("PRAGMA user_version").toInt(), sqlite_schema::currentVersion);
        QCOMPARE(raw.value("SELECT COUNT(*) FROM messages WHERE deleted = 1").toInt(), 1);
        QCOMPARE(raw.value("SELECT message_count FROM rooms").toInt(), 3); // tombstones stay
    }

    void unreadCountsUseTheIndexAlone()
    {
        openStorage().reset();
        RawDb raw(path);
        for (const char *sql : {"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages"
                                " WHERE room_uuid = 'r' AND seq > 10",
                                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages"
                                " WHERE room_uuid = 'r' AND user_uuid = 'u' AND seq > 10",
                                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages"
                                " WHERE room_uuid = 'r' AND seq > 10 AND deleted = 1"
                                " AND user_uuid <> 'u'"}) {
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QLatin1String(sql)));
            QString plan;
            while (q.next())
                plan += q.value(3).toString() + '\n';
            QVERIFY2(plan.contains("USING COVERING INDEX"), qPrintable(plan));
        }
    }

    void refusesNewerSchema()
    {
        {
            RawDb raw(path);
            QVERIFY(raw.exec("CREATE TABLE future (x)"));
            QVERIFY(raw.exec("PRAGMA user_version = 99"));
        }
        SqliteStorage s(path);
        QVERIFY(!run(s.open()));
        QVERIFY2(s.lastError().contains("newer"), qPrintable(s.lastError()));
    }

    void unopenablePaths()
    {
        {
            SqliteStorage s(dir.path()); // a directory
            QVERIFY(!run(s.open()));
            QVERIFY2(s.lastError().contains("directory"), qPrintable(s.lastError()));
        }
        {
            // The parent "folder" is a regular file, so it cannot be created.
            QFile file(dir.filePath("plain-file"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.close();
            SqliteStorage s(dir.filePath("plain-file/sub/chalkroom.db"));
            QVERIFY(!run(s.open()));
            QVERIFY(!s.lastError().isEmpty());
            // Nothing written through a storage that failed to open.
            QVERIFY(!run(s.createRoom(makeRoom("x"))));
        }
        {
            // A file that is not a database.
            QFile junk(dir.filePath("junk.db"));
            QVERIFY(junk.open(QIODevice::WriteOnly));
            junk.write(QByteArray(8192, 'x'));
            junk.close();
            SqliteStorage s(junk.fileName());
            QVERIFY(!run(s.open()));
            QVERIFY(!s.lastError().isEmpty());
        }
        {
            // A missing parent that can be created is created.
            SqliteStorage s(dir.filePath("new/deeper/chalkroom.db"));
            QVERIFY2(run(s.open()), qPrintable(s.lastError()));
        }
    }

    void concurrentWritesAreGroupCommitted()
    {
        auto s = openStorage();
        const Room a = makeRoom("busy");
        QVERIFY(run(s->createRoom(a)));
        const qint64 commitsBefore = s->commitCount();

        // Hold the write lock from another connection: the storage thread waits in BEGIN,
        // and every write started meanwhile queues up behind it.
        RawDb raw(path);
        QVERIFY(raw.exec("BEGIN IMMEDIATE"));

        constexpr int n = 500;
        QList<qint64> seqs;
        int failed = 0;
        QObject context;
        for (int i = 0; i < n; ++i) {
            QCoro::connect(s->addMessage(makeMessage(a.uuid, makeUser("w"), QString::number(i))),
                           &context, [&](std::optional<StoredMessage> m) {
                               if (m)
                                   seqs << m->message.seq;
                               else
                                   ++failed;
                           });
        }
        QTest::qWait(200);
        QCOMPARE(seqs.size(), 0); // nothing acknowledged before it is committed
        QVERIFY(raw.exec("COMMIT"));

        QTRY_COMPARE_WITH_TIMEOUT(seqs.size() + failed, n, 10000);
        QCOMPARE(failed, 0);
        QCOMPARE(QSet<qint64>(seqs.begin(), seqs.end()).size(), n); // distinct seq
        // One transaction may have started with the first write before the rest arrived;
        // all others went into the next one (batches hold up to 1024 writes).
        QVERIFY2(s->commitCount() - commitsBefore <= 2,
                 qPrintable(QString::number(s->commitCount() - commitsBefore)));
        QCOMPARE(answer(s->listMessages(a.uuid, QString(), 1000))->messages.size(), n);
        QCOMPARE(answer(s->listRooms())->first().sum, n);
    }

    void sqlRunsOffTheCallersThread()
    {
        auto s = openStorage();
        QVERIFY(s->sqlThread());
        QVERIFY(s->sqlThread() != QThread::currentThread());
        const Room a = makeRoom("x");
        QVERIFY(run(s->createRoom(a)));
        QVERIFY(s->sqlThread() != QThread::currentThread());
        QVERIFY(run(s->listMessages(a.uuid, QString(), 10)));
        QVERIFY(s->sqlThread() != QThread::currentThread());
        QVERIFY(s->sqlThread() != qApp->thread());
    }

    void destructionFinishesQueuedWrites()
    {
        const Room a = makeRoom("x");
        {
            auto s = openStorage();
            QVERIFY(run(s->createRoom(a)));
            for (int i = 0; i < 50; ++i)
                s->addMessage(makeMessage(a.uuid, makeUser("w"), QString::number(i)));
        } // no flush: the destructor drains the queue
        auto s = openStorage();
        QCOMPARE(answer(s->listMessages(a.uuid, QString(), 100))->messages.size(), 50);
    }

    void flushMeansCommittedToTheFile()
    {
        auto s = openStorage();
        const Room a = makeRoom("x");
        s->createRoom(a);
        for (int i = 0; i < 20; ++i)
            s->addMessage(makeMessage(a.uuid, makeUser("w"), QString::number(i)));
        run(s->flush());
        RawDb raw(path); // another connection sees them: committed, not just queued
        QCOMPARE(raw.value("SELECT COUNT(*) FROM messages").toInt(), 20);
        QCOMPARE(raw.value("SELECT message_count FROM rooms").toInt(), 20);
    }

    void importMessagesIsAllOrNothing()
    {
        auto s = openStorage();
        const Room a = makeRoom("x");
        QVERIFY(run(s->createRoom(a)));
        QList<Message> batch;
        for (int i = 0; i < 100; ++i)
            batch << makeMessage(a.uuid, makeUser("w"), QString::number(i));
        QVERIFY(run(s->importMessages(batch)));
        QCOMPARE(answer(s->listRooms())->first().sum, 100);
        QList<Message> bad;
        for (int i = 0; i < 10; ++i)
            bad << makeMessage(a.uuid, makeUser("w"), "bad");
        bad[5].roomUuid = "no-such-room";
        // An ordinary write queued meanwhile is not taken down with it.
        int stored = 0;
        s->addMessage(makeMessage(a.uuid, makeUser("w"), "ok")).then([&](auto m) {
            stored += m.has_value();
        });
        QVERIFY(!run(s->importMessages(bad)));
        run(s->flush());
        QCOMPARE(stored, 1);
        QCOMPARE(answer(s->listRooms())->first().sum, 101);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStorage)
#include "tst_sqlite_storage.moc"
