#include "sqlite_storage.h"

#include "sqlite_schema.h"
#include "storage_rules.h"

#include <QCoroFuture>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QPromise>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadPool>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>
#include <QtEndian>
#include <atomic>
#include <cstring>
#include <deque>
#include <functional>

namespace chalk::server {

using protocol::Line;
using protocol::Message;
using protocol::Room;
using protocol::User;

namespace {

// Rows in one transaction at most: bounds the wait of the last writer in a burst.
constexpr size_t maxBatch = 1024;

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}
QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? nullText() : QVariant(s);
}

QByteArray encodePoints(const QList<double> &points)
{
    QByteArray blob(points.size() * qsizetype(sizeof(quint64)), Qt::Uninitialized);
    char *out = blob.data();
    for (double p : points) {
        quint64 bits;
        std::memcpy(&bits, &p, sizeof bits);
        qToLittleEndian(bits, out);
        out += sizeof bits;
    }
    return blob;
}

QList<double> decodePoints(const QByteArray &blob)
{
    QList<double> points;
    const qsizetype n = blob.size() / qsizetype(sizeof(quint64));
    points.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        const quint64 bits = qFromLittleEndian<quint64>(blob.constData() + i * sizeof(quint64));
        double p;
        std::memcpy(&p, &bits, sizeof p);
        points.append(p);
    }
    return points;
}

bool isSuccess(bool ok)
{
    return ok;
}
template <typename T> bool isSuccess(const std::optional<T> &v)
{
    return v.has_value();
}

} // namespace

// Lives on the caller's side as an object, but everything below "storage thread only" is
// touched exclusively by the single thread of `pool`, which owns the QSqlDatabase.
class SqliteWorker {
public:
    explicit SqliteWorker(QString path)
        : path(std::move(path))
        , connectionName(QStringLiteral("chalk-sqlite-") +
                         QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        // One thread that never expires: a QSqlDatabase connection may only be used by
        // the thread that created it.
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1);
        checkpointPool.setMaxThreadCount(1);
        checkpointPool.setExpiryTimeout(-1);
    }

    const QString path;
    const QString connectionName;
    QThreadPool pool;
    std::atomic<QThread *> lastSqlThread{nullptr};
    std::atomic<qint64> commits{0};

    void setError(const QString &e)
    {
        QMutexLocker lock(&errorMutex);
        error = e;
    }
    QString lastError() const
    {
        QMutexLocker lock(&errorMutex);
        return error;
    }

    // Runs fn on the storage thread; the returned future is awaited on the caller's.
    template <typename F> auto read(F fn) -> QFuture<std::invoke_result_t<F>>
    {
        return QtConcurrent::run(&pool, [this, fn = std::move(fn)]() {
            lastSqlThread = QThread::currentThread();
            return fn();
        });
    }

    // Queues fn for the next group commit. fn runs inside the transaction and must leave no
    // partial change behind when it fails (one statement, or checks before writing, or its
    // own savepoint): other callers' writes share the transaction. The future gets fn's
    // result once the transaction committed, `failure` if it did not.
    // alone = true: fn runs in a transaction of its own, rolled back if fn fails (all or
    // nothing for big writes, without a savepoint's per-statement cost).
    template <typename T> QFuture<T> write(std::function<T()> fn, T failure, bool alone = false)
    {
        auto promise = std::make_shared<QPromise<T>>();
        promise->start();
        QFuture<T> future = promise->future();
        auto result = std::make_shared<std::optional<T>>();
        enqueue({[fn = std::move(fn), result] {
                     *result = fn();
                     return isSuccess(**result);
                 },
                 [promise, result, failure = std::move(failure)](bool committed) {
                     promise->addResult(committed && *result ? **result : failure);
                     promise->finish();
                 },
                 alone});
        return future;
    }

    // Called on destruction: finishes the queued writes, closes the connections, joins.
    void shutdown()
    {
        pool.start([this] {
            while (runBatch()) {
            }
            closeOnThread();
        });
        pool.waitForDone();
        // Closed last, this connection folds the WAL into the database file.
        checkpointPool.start([this] { closeConnection(checkpointDb, connectionName + "-ckpt"); });
        checkpointPool.waitForDone();
    }

    // ---- storage thread only ----
    bool openOnThread();
    void closeOnThread();
    QSqlQuery &query(const QString &sql);
    bool exec(QSqlQuery &q);
    std::optional<StoredMessage> addMessage(Message m);
    std::optional<MessagePage> listMessages(const QString &room, const QString &before, int limit);
    bool importMessages(const QList<Message> &messages);

private:
    struct WriteOp {
        std::function<bool()> run;          // inside the transaction; false: this write failed
        std::function<void(bool)> complete; // after COMMIT (true) or its failure (false)
        bool alone = false;                 // its own transaction, rolled back on failure
    };

    void enqueue(WriteOp op)
    {
        QMutexLocker lock(&queueMutex);
        queue.push_back(std::move(op));
        if (!writerScheduled) {
            writerScheduled = true;
            pool.start([this] { runScheduledBatch(); });
        }
    }

    void runScheduledBatch()
    {
        runBatch();
        QMutexLocker lock(&queueMutex);
        if (queue.empty()) {
            writerScheduled = false;
            return;
        }
        // More writes arrived during that commit: they form the next transaction. Requeue
        // rather than loop, so reads already waiting in the pool get their turn in between.
        pool.start([this] { runScheduledBatch(); });
    }

    // One transaction with everything queued (up to maxBatch). False if there was nothing.
    bool runBatch();

    mutable QMutex errorMutex;
    QString error;

    QMutex queueMutex;
    std::deque<WriteOp> queue;
    bool writerScheduled = false;

    QSqlDatabase db;
    bool opened = false;
    int commitsSinceCheckpoint = 0;

    // Checkpoints (copying the WAL into the database file, with fsync) take tens of ms here;
    // SQLite's automatic ones would run inside a COMMIT and stall every writer waiting for
    // it. A second connection on a second thread does them instead, concurrently with the
    // writer (WAL allows one checkpointer next to one writer).
    void scheduleCheckpoint();
    static void closeConnection(QSqlDatabase &connection, const QString &name);
    QThreadPool checkpointPool;
    std::atomic<bool> checkpointRunning{false};
    QSqlDatabase checkpointDb;            // checkpoint thread only
    QHash<QString, QSqlQuery> statements; // prepared once, reused
};

bool SqliteWorker::runBatch()
{
    std::vector<WriteOp> batch;
    {
        QMutexLocker lock(&queueMutex);
        // Everything queued, up to maxBatch; an op that wants to be alone ends the batch
        // before it, or is the batch.
        while (!queue.empty() && batch.size() < maxBatch &&
               (batch.empty() || !queue.front().alone)) {
            batch.push_back(std::move(queue.front()));
            queue.pop_front();
            if (batch.back().alone)
                break;
        }
    }
    if (batch.empty())
        return false;
    lastSqlThread = QThread::currentThread();
    bool committed = false;
    if (!opened) {
        setError(QStringLiteral("database is not open"));
    } else if (exec(query(QStringLiteral("BEGIN IMMEDIATE")))) {
        bool allOk = true;
        for (WriteOp &op : batch)
            allOk = op.run() && allOk;
        const bool rollBack = batch.size() == 1 && batch.front().alone && !allOk;
        // WAL with synchronous=NORMAL: COMMIT appends to the WAL file with write(), without
        // fsync. A committed write survives a crash or SIGKILL of this process (the OS has
        // it); only a power loss or kernel crash may lose the last transactions.
        committed = !rollBack && exec(query(QStringLiteral("COMMIT")));
        if (committed) {
            ++commits;
            scheduleCheckpoint();
        } else
            exec(query(QStringLiteral("ROLLBACK")));
    }
    for (WriteOp &op : batch)
        op.complete(committed);
    return true;
}

bool SqliteWorker::openOnThread()
{
    if (opened)
        return true;
    const QFileInfo info(path);
    if (info.isDir()) {
        setError(QStringLiteral("cannot open database %1: it is a directory").arg(path));
        return false;
    }
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder)) {
        setError(
            QStringLiteral("cannot open database %1: cannot create folder %2").arg(path, folder));
        return false;
    }
    db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    if (!db.open()) {
        setError(QStringLiteral("cannot open database %1: %2").arg(path, db.lastError().text()));
        closeOnThread();
        return false;
    }
    QSqlQuery q(db);
    const bool wal = q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && q.next() &&
                     q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0;
    q.finish();
    if (!wal) {
        setError(QStringLiteral("cannot open database %1: WAL mode refused (%2)")
                     .arg(path, q.lastError().text()));
        closeOnThread();
        return false;
    }
    // NORMAL is durable against a crash of the process in WAL mode (see runBatch).
    // wal_autocheckpoint: only a backstop (40 MB) if the checkpoint thread cannot keep up.
    for (const char *pragma :
         {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
          "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=10000"}) {
        if (!q.exec(QLatin1String(pragma))) {
            setError(QStringLiteral("cannot open database %1: %2 failed: %3")
                         .arg(path, QLatin1String(pragma), q.lastError().text()));
            closeOnThread();
            return false;
        }
    }
    QString schemaError;
    if (!sqlite_schema::upgrade(db, &schemaError)) {
        setError(QStringLiteral("cannot open database %1: %2").arg(path, schemaError));
        closeOnThread();
        return false;
    }
    opened = true;
    return true;
}

void SqliteWorker::closeOnThread()
{
    statements.clear();
    opened = false;
    closeConnection(db, connectionName);
}

void SqliteWorker::closeConnection(QSqlDatabase &connection, const QString &name)
{
    if (connection.isValid()) {
        connection.close();
        connection = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
}

void SqliteWorker::scheduleCheckpoint()
{
    // Every 32 transactions: with batches of one to a thousand writes, that keeps the WAL
    // at a few MB without checkpointing (two fsyncs) for every trickle of messages.
    if (++commitsSinceCheckpoint < 32 || checkpointRunning.exchange(true))
        return;
    commitsSinceCheckpoint = 0;
    checkpointPool.start([this] {
        const QString name = connectionName + QStringLiteral("-ckpt");
        if (!checkpointDb.isValid()) {
            checkpointDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            checkpointDb.setDatabaseName(path);
            if (!checkpointDb.open())
                closeConnection(checkpointDb, name); // the writer's backstop takes over
        }
        if (checkpointDb.isOpen()) {
            QSqlQuery q(checkpointDb);
            // PASSIVE: never waits for, nor blocks, the writer or readers.
            q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        }
        checkpointRunning = false;
    });
}

QSqlQuery &SqliteWorker::query(const QString &sql)
{
    auto it = statements.find(sql);
    if (it == statements.end()) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(sql))
            setError(QStringLiteral("%1 (in: %2)").arg(q.lastError().text(), sql));
        it = statements.insert(sql, q);
    }
    return *it;
}

bool SqliteWorker::exec(QSqlQuery &q)
{
    if (q.exec())
        return true;
    setError(q.lastError().text());
    q.finish();
    return false;
}

namespace {

Message messageFromRow(const QSqlQuery &q, const QString &roomUuid)
{
    // Columns: seq, uuid, user_uuid, user_name, body, created, client_id
    Message m;
    m.seq = q.value(0).toLongLong();
    m.uuid = q.value(1).toString();
    m.roomUuid = roomUuid;
    m.user = User{q.value(2).toString(), q.value(3).toString(), roomUuid};
    m.body = q.value(4).toString();
    m.created = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
    m.clientId = q.value(6).toString();
    return m;
}

} // namespace

std::optional<StoredMessage> SqliteWorker::addMessage(Message m)
{
    if (!m.clientId.isEmpty()) {
        QSqlQuery &q = query(QStringLiteral(
            "SELECT seq, uuid, user_uuid, user_name, body, created, client_id, room_uuid"
            " FROM messages WHERE user_uuid = ? AND client_id = ?"));
        q.bindValue(0, m.user.uuid);
        q.bindValue(1, m.clientId);
        if (!exec(q))
            return std::nullopt;
        if (q.next()) {
            StoredMessage stored{messageFromRow(q, q.value(7).toString()), true};
            q.finish();
            return stored;
        }
        q.finish();
    }
    storage_rules::normalizeNewMessage(m);
    QSqlQuery &q = query(QStringLiteral(
        "INSERT INTO messages (uuid, room_uuid, user_uuid, user_name, body, created, client_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.bindValue(0, m.uuid);
    q.bindValue(1, m.roomUuid);
    q.bindValue(2, m.user.uuid);
    q.bindValue(3, m.user.name);
    q.bindValue(4, m.body);
    q.bindValue(5, m.created.toMSecsSinceEpoch());
    q.bindValue(6, textOrNull(m.clientId));
    // Fails (and stores nothing) for an unknown room (foreign key) or a reused uuid.
    if (!exec(q))
        return std::nullopt;
    m.seq = q.lastInsertId().toLongLong();
    return StoredMessage{m, false};
}

std::optional<MessagePage> SqliteWorker::listMessages(const QString &room, const QString &before,
                                                      int limit)
{
    limit = storage_rules::clampLimit(limit);
    qint64 beforeSeq = std::numeric_limits<qint64>::max();
    if (!before.isEmpty()) {
        QSqlQuery &q =
            query(QStringLiteral("SELECT seq FROM messages WHERE uuid = ? AND room_uuid = ?"));
        q.bindValue(0, before);
        q.bindValue(1, room);
        if (!exec(q))
            return std::nullopt;
        if (!q.next()) {
            q.finish();
            setError(QStringLiteral("no message %1 in room %2").arg(before, room));
            return std::nullopt;
        }
        beforeSeq = q.value(0).toLongLong();
        q.finish();
    }
    // Newest first through the (room_uuid, seq) index; one row more tells has_more.
    QSqlQuery &q = query(
        QStringLiteral("SELECT seq, uuid, user_uuid, user_name, body, created, client_id"
                       " FROM messages WHERE room_uuid = ? AND seq < ? ORDER BY seq DESC LIMIT ?"));
    q.bindValue(0, room);
    q.bindValue(1, beforeSeq);
    q.bindValue(2, limit + 1);
    if (!exec(q))
        return std::nullopt;
    MessagePage page;
    page.messages.reserve(limit);
    while (q.next()) {
        if (page.messages.size() == limit) {
            page.hasMore = true;
            break;
        }
        page.messages.append(messageFromRow(q, room));
    }
    q.finish();
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

bool SqliteWorker::importMessages(const QList<Message> &messages)
{
    // Runs alone in its transaction: a failure rolls all of it back (see write()).
    for (const Message &m : messages) {
        Message copy = m;
        copy.clientId.clear();
        if (!addMessage(copy))
            return false;
    }
    return true;
}

// The SqliteStorage methods below are plain functions that hand a future to these small
// coroutines: no lambda or other temporary lives inside a co_await expression (GCC 12
// destroys such temporaries twice).
template <typename T> QCoro::Task<T> awaitResult(QFuture<T> future)
{
    co_return co_await future;
}

QCoro::Task<void> awaitDone(QFuture<bool> future)
{
    co_await future;
}

// ---- SqliteStorage: the caller's side. Every method hands work to the worker and awaits.

SqliteStorage::SqliteStorage(QString path)
    : d(std::make_unique<SqliteWorker>(std::move(path)))
{}

SqliteStorage::~SqliteStorage()
{
    d->shutdown();
}

QString SqliteStorage::lastError() const
{
    return d->lastError();
}
QString SqliteStorage::describe() const
{
    return QStringLiteral("sqlite:") + d->path;
}
QString SqliteStorage::path() const
{
    return d->path;
}
QThread *SqliteStorage::sqlThread() const
{
    return d->lastSqlThread;
}
qint64 SqliteStorage::commitCount() const
{
    return d->commits;
}

QCoro::Task<bool> SqliteStorage::open()
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w] { return w->openOnThread(); }));
}

QCoro::Task<void> SqliteStorage::flush()
{
    // Batches commit in order, so this one commits after every write queued before it.
    return awaitDone(d->write<bool>([] { return true; }, false));
}

QCoro::Task<std::optional<QList<Room>>> SqliteStorage::listRooms()
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w]() -> std::optional<QList<Room>> {
        QSqlQuery &q =
            w->query(QStringLiteral("SELECT uuid, name, color, created, message_count FROM rooms"
                                    " ORDER BY created, rowid"));
        if (!w->exec(q))
            return std::nullopt;
        QList<Room> rooms;
        while (q.next()) {
            Room r;
            r.uuid = q.value(0).toString();
            r.name = q.value(1).toString();
            r.color = q.value(2).toString();
            r.created = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
            r.sum = q.value(4).toLongLong();
            rooms.append(r);
        }
        q.finish();
        return rooms;
    }));
}

QCoro::Task<bool> SqliteStorage::createRoom(Room room)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, room] {
            if (room.uuid.isEmpty()) {
                w->setError(QStringLiteral("a room needs a uuid"));
                return false;
            }
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO rooms (uuid, name, color, created) VALUES (?, ?, ?, ?)"));
            q.bindValue(0, room.uuid);
            q.bindValue(1, room.name);
            q.bindValue(2, room.color);
            q.bindValue(3, storage_rules::normalizedTime(room.created).toMSecsSinceEpoch());
            return w->exec(q);
        },
        false));
}

QCoro::Task<bool> SqliteStorage::updateRoom(Room room)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, room] {
            QSqlQuery &q =
                w->query(QStringLiteral("UPDATE rooms SET name = ?, color = ? WHERE uuid = ?"));
            q.bindValue(0, room.name);
            q.bindValue(1, room.color);
            q.bindValue(2, room.uuid);
            if (!w->exec(q))
                return false;
            if (q.numRowsAffected() > 0)
                return true;
            w->setError(QStringLiteral("no room %1").arg(room.uuid));
            return false;
        },
        false));
}

QCoro::Task<bool> SqliteStorage::deleteRoom(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid] {
            // Messages and lines go with it (ON DELETE CASCADE), in the same statement.
            QSqlQuery &q = w->query(QStringLiteral("DELETE FROM rooms WHERE uuid = ?"));
            q.bindValue(0, roomUuid);
            if (!w->exec(q))
                return false;
            if (q.numRowsAffected() > 0)
                return true;
            w->setError(QStringLiteral("no room %1").arg(roomUuid));
            return false;
        },
        false));
}

QCoro::Task<std::optional<StoredMessage>> SqliteStorage::addMessage(Message message)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<std::optional<StoredMessage>>(
        [w, message] { return w->addMessage(message); }, std::nullopt));
}

QCoro::Task<std::optional<MessagePage>> SqliteStorage::listMessages(QString roomUuid,
                                                                    QString beforeUuid, int limit)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read(
        [w, roomUuid, beforeUuid, limit] { return w->listMessages(roomUuid, beforeUuid, limit); }));
}

QCoro::Task<bool> SqliteStorage::importMessages(QList<Message> messages)
{
    SqliteWorker *w = d.get();
    return awaitResult(
        w->write<bool>([w, messages] { return w->importMessages(messages); }, false, true));
}

QCoro::Task<std::optional<QList<Line>>> SqliteStorage::lines(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, roomUuid]() -> std::optional<QList<Line>> {
        QSqlQuery &q =
            w->query(QStringLiteral("SELECT uuid, points, tool, color, width, user_uuid FROM lines"
                                    " WHERE room_uuid = ? ORDER BY seq"));
        q.bindValue(0, roomUuid);
        if (!w->exec(q))
            return std::nullopt;
        QList<Line> lines;
        while (q.next()) {
            Line l;
            l.uuid = q.value(0).toString();
            l.points = decodePoints(q.value(1).toByteArray());
            l.tool = q.value(2).toString();
            l.color = q.value(3).toString();
            l.width = q.value(4).toDouble();
            l.userUuid = q.value(5).toString();
            lines.append(l);
        }
        q.finish();
        return lines;
    }));
}

QCoro::Task<bool> SqliteStorage::upsertLine(QString roomUuid, Line line)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid, line] {
            if (line.uuid.isEmpty()) {
                w->setError(QStringLiteral("a line needs a uuid"));
                return false;
            }
            // A new line goes last; an update keeps its place and author. A uuid that
            // belongs to another room's line changes nothing (0 rows) and fails.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO lines (uuid, room_uuid, seq, points, tool, color, width, user_uuid)"
                " VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM lines WHERE room_uuid = ?),"
                " ?, ?, ?, ?, ?)"
                " ON CONFLICT (uuid) DO UPDATE SET points = excluded.points,"
                " tool = excluded.tool, color = excluded.color, width = excluded.width"
                " WHERE lines.room_uuid = excluded.room_uuid"));
            q.bindValue(0, line.uuid);
            q.bindValue(1, roomUuid);
            q.bindValue(2, roomUuid);
            q.bindValue(3, encodePoints(line.points));
            q.bindValue(4, line.tool);
            q.bindValue(5, line.color);
            q.bindValue(6, line.width);
            q.bindValue(7, textOrNull(line.userUuid));
            if (!w->exec(q))
                return false;
            if (q.numRowsAffected() > 0)
                return true;
            w->setError(QStringLiteral("line %1 belongs to another room").arg(line.uuid));
            return false;
        },
        false));
}

QCoro::Task<bool> SqliteStorage::removeLine(QString roomUuid, QString lineUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid, lineUuid] {
            QSqlQuery &q =
                w->query(QStringLiteral("DELETE FROM lines WHERE uuid = ? AND room_uuid = ?"));
            q.bindValue(0, lineUuid);
            q.bindValue(1, roomUuid);
            if (!w->exec(q))
                return false;
            if (q.numRowsAffected() > 0)
                return true;
            w->setError(QStringLiteral("no line %1 in room %2").arg(lineUuid, roomUuid));
            return false;
        },
        false));
}

QCoro::Task<bool> SqliteStorage::resetDrawing(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid] {
            QSqlQuery &room = w->query(QStringLiteral("SELECT 1 FROM rooms WHERE uuid = ?"));
            room.bindValue(0, roomUuid);
            if (!w->exec(room))
                return false;
            const bool exists = room.next();
            room.finish();
            if (!exists) {
                w->setError(QStringLiteral("no room %1").arg(roomUuid));
                return false;
            }
            QSqlQuery &q = w->query(QStringLiteral("DELETE FROM lines WHERE room_uuid = ?"));
            q.bindValue(0, roomUuid);
            return w->exec(q);
        },
        false));
}

QCoro::Task<bool> SqliteStorage::saveUser(User user, QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, user, tokenHash] {
            if (user.uuid.isEmpty() || tokenHash.isEmpty()) {
                w->setError(QStringLiteral("a user needs a uuid and a token hash"));
                return false;
            }
            // A hash that belongs to another user violates UNIQUE and fails.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO users (uuid, name, token_hash, room_uuid) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (uuid) DO UPDATE SET name = excluded.name,"
                " token_hash = excluded.token_hash, room_uuid = excluded.room_uuid"));
            q.bindValue(0, user.uuid);
            q.bindValue(1, user.name);
            q.bindValue(2, tokenHash);
            q.bindValue(3, textOrNull(user.roomUuid));
            return w->exec(q);
        },
        false));
}

QCoro::Task<std::optional<User>> SqliteStorage::userByTokenHash(QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, tokenHash]() -> std::optional<User> {
        QSqlQuery &q = w->query(
            QStringLiteral("SELECT uuid, name, room_uuid FROM users WHERE token_hash = ?"));
        q.bindValue(0, tokenHash);
        if (!w->exec(q) || !q.next()) {
            q.finish();
            return std::nullopt;
        }
        User u{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
        q.finish();
        return u;
    }));
}

} // namespace chalk::server
