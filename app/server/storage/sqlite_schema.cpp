#include "sqlite_schema.h"

#include "protocol/objects.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace chalk::server::sqlite_schema {

namespace {

bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    for (const QString &sql : statements) {
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            *error = QStringLiteral("%1 (in: %2)").arg(q.lastError().text(), sql.simplified());
            return false;
        }
    }
    return true;
}

// v1: rooms, messages and drawing lines, as the first release stored them.
bool toV1(QSqlDatabase &db, QString *error)
{
    return execAll(
        db,
        {
            QStringLiteral("CREATE TABLE rooms ("
                           " uuid TEXT PRIMARY KEY,"
                           " name TEXT NOT NULL,"
                           " color TEXT NOT NULL,"
                           " created INTEGER NOT NULL)"), // ms since epoch, UTC
            // seq is the rowid: the storage order, the key of history paging.
            QStringLiteral("CREATE TABLE messages ("
                           " seq INTEGER PRIMARY KEY,"
                           " uuid TEXT NOT NULL UNIQUE,"
                           " room_uuid TEXT NOT NULL REFERENCES rooms(uuid) ON DELETE CASCADE,"
                           " user_uuid TEXT NOT NULL,"
                           " user_name TEXT NOT NULL,"
                           " body TEXT NOT NULL,"
                           " created INTEGER NOT NULL,"
                           " client_id TEXT)"),
            QStringLiteral("CREATE INDEX messages_by_room ON messages(room_uuid, seq)"),
            // Resends of the same (user, client_id) store nothing new.
            QStringLiteral("CREATE UNIQUE INDEX messages_by_client_id ON messages(user_uuid, "
                           "client_id) WHERE client_id IS NOT NULL"),
            // points: little-endian float64 x,y,x,y... (8 bytes a number, no parsing).
            QStringLiteral("CREATE TABLE lines ("
                           " uuid TEXT PRIMARY KEY,"
                           " room_uuid TEXT NOT NULL REFERENCES rooms(uuid) ON DELETE CASCADE,"
                           " seq INTEGER NOT NULL,"
                           " points BLOB NOT NULL,"
                           " tool TEXT NOT NULL,"
                           " color TEXT NOT NULL,"
                           " width REAL NOT NULL DEFAULT 0,"
                           " user_uuid TEXT)"),
            QStringLiteral("CREATE INDEX lines_by_room ON lines(room_uuid, seq)"),
        },
        error);
}

// v2: resumable identities, and a per-room message counter so listing rooms does not count
// a million rows. The trigger keeps the counter in the inserting statement's transaction.
bool toV2(QSqlDatabase &db, QString *error)
{
    return execAll(
        db,
        {
            QStringLiteral("CREATE TABLE users ("
                           " uuid TEXT PRIMARY KEY,"
                           " name TEXT NOT NULL,"
                           " token_hash BLOB NOT NULL UNIQUE,"
                           " room_uuid TEXT)"),
            QStringLiteral("ALTER TABLE rooms ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral(
                "UPDATE rooms SET message_count ="
                " (SELECT COUNT(*) FROM messages WHERE messages.room_uuid = rooms.uuid)"),
            QStringLiteral("CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN"
                           " UPDATE rooms SET message_count = message_count + 1"
                           " WHERE uuid = NEW.room_uuid; END"),
            QStringLiteral("CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN"
                           " UPDATE rooms SET message_count = message_count - 1"
                           " WHERE uuid = OLD.room_uuid; END"),
        },
        error);
}

// v3: accounts. A user may have several tokens (one per device), so tokens get a table of
// their own and users lose their token_hash column (SQLite cannot drop a UNIQUE column: the
// table is rebuilt). Every existing token keeps resuming its user. accounts.name_key is the
// nameKey() of the user's display name, kept with each rename, so a registered user's name is
// protected by an index lookup.
bool toV3(QSqlDatabase &db, QString *error)
{
    return execAll(db,
                   {
                       QStringLiteral("CREATE TABLE users_v3 ("
                                      " uuid TEXT PRIMARY KEY,"
                                      " name TEXT NOT NULL,"
                                      " room_uuid TEXT)"),
                       QStringLiteral("INSERT INTO users_v3 (uuid, name, room_uuid)"
                                      " SELECT uuid, name, room_uuid FROM users"),
                       QStringLiteral("CREATE TABLE tokens ("
                                      " token_hash BLOB PRIMARY KEY,"
                                      " user_uuid TEXT NOT NULL)"),
                       QStringLiteral("INSERT INTO tokens (token_hash, user_uuid)"
                                      " SELECT token_hash, uuid FROM users"),
                       QStringLiteral("CREATE INDEX tokens_by_user ON tokens(user_uuid)"),
                       QStringLiteral("DROP TABLE users"),
                       QStringLiteral("ALTER TABLE users_v3 RENAME TO users"),
                       QStringLiteral("CREATE TABLE accounts ("
                                      " user_uuid TEXT PRIMARY KEY,"
                                      " login_name TEXT NOT NULL,"
                                      " login_key TEXT NOT NULL UNIQUE,"
                                      " name_key TEXT NOT NULL,"
                                      " password_hash BLOB NOT NULL,"
                                      " created INTEGER NOT NULL)"),
                       QStringLiteral("CREATE INDEX accounts_by_name_key ON accounts(name_key)"),
                   },
                   error);
}

// v4: direct conversations. A direct room stores its two members (uuids, sorted, separated by
// a space; NULL for a public room); blocks are pairs, looked up by the blocker.
bool toV4(QSqlDatabase &db, QString *error)
{
    return execAll(db,
                   {
                       QStringLiteral("ALTER TABLE rooms ADD COLUMN members TEXT"),
                       QStringLiteral("CREATE TABLE blocks ("
                                      " blocker TEXT NOT NULL,"
                                      " blocked TEXT NOT NULL,"
                                      " PRIMARY KEY (blocker, blocked)) WITHOUT ROWID"),
                   },
                   error);
}

// v5: presence. users.last_seen is when the user's last device left (ms since epoch, UTC; NULL:
// not since this version); users.search_key is protocol::searchKey(name) (NFKD without marks,
// case folded), kept with each rename, indexed with the uuid so that list_users pages in order.
// SQL cannot compute the key, so existing rows get theirs here, row by row.
bool toV5(QSqlDatabase &db, QString *error)
{
    if (!execAll(
            db,
            {
                QStringLiteral("ALTER TABLE users ADD COLUMN search_key TEXT NOT NULL DEFAULT ''"),
                QStringLiteral("ALTER TABLE users ADD COLUMN last_seen INTEGER"),
            },
            error))
        return false;
    QSqlQuery rows(db);
    if (!rows.exec(QStringLiteral("SELECT uuid, name FROM users"))) {
        *error = rows.lastError().text();
        return false;
    }
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE users SET search_key = ? WHERE uuid = ?"));
    while (rows.next()) {
        update.bindValue(0, protocol::searchKey(rows.value(1).toString()));
        update.bindValue(1, rows.value(0).toString());
        if (!update.exec()) {
            *error = update.lastError().text();
            return false;
        }
    }
    return execAll(
        db, {QStringLiteral("CREATE INDEX users_by_search_key ON users(search_key, uuid)")}, error);
}

// v6: read markers (unread counts kept by the server). A marker is the seq of the last message
// the user read in the room (0: before the first). The count of the others' messages after it
// is two index-only range counts: all messages after the marker (messages_by_room) minus the
// user's own (the new messages_by_room_user). Every existing direct conversation's members
// get a marker at its start, as createRoom gives new ones.
bool toV6(QSqlDatabase &db, QString *error)
{
    return execAll(
        db,
        {
            QStringLiteral("CREATE TABLE read_markers ("
                           " user_uuid TEXT NOT NULL,"
                           " room_uuid TEXT NOT NULL REFERENCES rooms(uuid) ON DELETE CASCADE,"
                           " seq INTEGER NOT NULL,"
                           " PRIMARY KEY (user_uuid, room_uuid)) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX read_markers_by_room ON read_markers(room_uuid)"),
            QStringLiteral(
                "CREATE INDEX messages_by_room_user ON messages(room_uuid, user_uuid, seq)"),
            QStringLiteral("INSERT OR IGNORE INTO read_markers (user_uuid, room_uuid, seq)"
                           " SELECT substr(members, 1, instr(members, ' ') - 1), uuid, 0"
                           " FROM rooms WHERE instr(members, ' ') > 0"),
            QStringLiteral("INSERT OR IGNORE INTO read_markers (user_uuid, room_uuid, seq)"
                           " SELECT substr(members, instr(members, ' ') + 1), uuid, 0"
                           " FROM rooms WHERE instr(members, ' ') > 0"),
        },
        error);
}

// v7: own messages. edited_at (ms since epoch, UTC; NULL: never edited); deleted: a tombstone
// whose body is cleared but whose row stays, so history pages, seq and the room's sum do not
// move; reply_to: the uuid of a message of the same room (its quote is read by a join on
// uuid, so it follows edits and deletes). Unread counts subtract the others' deleted messages
// after the marker, counted in the small partial index of tombstones.
bool toV7(QSqlDatabase &db, QString *error)
{
    return execAll(
        db,
        {
            QStringLiteral("ALTER TABLE messages ADD COLUMN edited_at INTEGER"),
            QStringLiteral("ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE messages ADD COLUMN reply_to TEXT"),
            // deleted among the columns too: the count reads the index alone (covering).
            QStringLiteral("CREATE INDEX messages_deleted_by_room ON messages(room_uuid, seq, "
                           "user_uuid, deleted) WHERE deleted = 1"),
        },
        error);
}

using Step = bool (*)(QSqlDatabase &, QString *);
// steps[i] brings version i to version i + 1.
constexpr Step steps[] = {toV1, toV2, toV3, toV4, toV5, toV6, toV7};
static_assert(std::size(steps) == currentVersion);

} // namespace

int version(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *error = q.lastError().text();
        return -1;
    }
    return q.value(0).toInt();
}

bool upgrade(QSqlDatabase &db, QString *error)
{
    const int from = version(db, error);
    if (from < 0)
        return false;
    if (from > currentVersion) {
        *error = QStringLiteral("database schema version %1 is newer than this program's (%2)")
                     .arg(from)
                     .arg(currentVersion);
        return false;
    }
    for (int v = from; v < currentVersion; ++v) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        const bool ok = steps[v](db, error) &&
                        execAll(db, {QStringLiteral("PRAGMA user_version = %1").arg(v + 1)}, error);
        if (!ok) {
            *error = QStringLiteral("upgrading schema to version %1: %2").arg(v + 1).arg(*error);
            db.rollback();
            return false;
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
    }
    return true;
}

} // namespace chalk::server::sqlite_schema
