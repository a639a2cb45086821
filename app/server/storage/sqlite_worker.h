// The SQLite storage's engine, shared by the sqlite_*.cpp files and private to them:
// SqliteWorker owns the one storage thread and its connection, runs reads there, and
// group-commits writes (every write queued while a transaction runs goes into the next one);
// a second thread checkpoints the WAL. SqliteStorage (sqlite_storage.h) is the public face.
#pragma once

#include "storage.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QPromise>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>
#include <QThreadPool>
#include <QUuid>
#include <QVariant>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace chalk::server {

namespace sqlite_detail {

inline QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}
inline QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? nullText() : QVariant(s);
}

inline bool isSuccess(bool ok)
{
    return ok;
}
// A refused account (name taken, already registered) wrote nothing: the batch commits.
inline bool isSuccess(AccountCreated c)
{
    return c != AccountCreated::Failed;
}
// A mark_read naming no message of the room wrote nothing: the batch commits.
inline bool isSuccess(ReadMarked r)
{
    return r != ReadMarked::Failed;
}
inline bool isSuccess(const MessageLookup &l)
{
    return !l.failed;
}
// A refused edit or delete wrote nothing: the batch commits.
inline bool isSuccess(const ChangedMessage &c)
{
    return c.result != MessageChange::Failed;
}
template <typename T> bool isSuccess(const std::optional<T> &v)
{
    return v.has_value();
}

} // namespace sqlite_detail

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
                     return sqlite_detail::isSuccess(**result);
                 },
                 [promise, result, failure = std::move(failure)](bool committed) {
                     promise->addResult(committed && *result ? **result : failure);
                     promise->finish();
                 },
                 alone});
        return future;
    }

    // Called on destruction: finishes the queued writes, closes the connections, joins.
    void shutdown();

    // ---- storage thread only ----
    bool openOnThread();
    void closeOnThread();
    QSqlQuery &query(const QString &sql);
    bool exec(QSqlQuery &q);
    // exec() for an UPDATE or DELETE that must change a row: when it changes none, fails with
    // the error whyNone() returns (built only then: live strokes update lines many times a
    // second).
    template <typename F> bool execChangingRow(QSqlQuery &q, F whyNone)
    {
        if (!exec(q))
            return false;
        if (q.numRowsAffected() > 0)
            return true;
        setError(whyNone());
        return false;
    }
    std::optional<StoredMessage> addMessage(protocol::Message m);
    std::optional<MessagePage> listMessages(const QString &room, const QString &before, int limit);
    bool importMessages(const QList<protocol::Message> &messages);
    MessageLookup messageByUuid(const QString &uuid);
    ChangedMessage changeMessage(const QString &uuid, const QString &author,
                                 const std::optional<QString> &newBody, qint64 editedAtMs);

private:
    struct WriteOp {
        std::function<bool()> run;          // inside the transaction; false: this write failed
        std::function<void(bool)> complete; // after COMMIT (true) or its failure (false)
        bool alone = false;                 // its own transaction, rolled back on failure
    };

    void enqueue(WriteOp op);
    void runScheduledBatch();

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

// SqliteStorage's methods are plain functions that hand a future to these small
// coroutines: no lambda or other temporary lives inside a co_await expression (GCC 12
// destroys such temporaries twice).
template <typename T> QCoro::Task<T> awaitResult(QFuture<T> future)
{
    co_return co_await future;
}

inline QCoro::Task<void> awaitDone(QFuture<bool> future)
{
    co_await future;
}

} // namespace chalk::server
